-- name: create_trace_partition(session_id)$
-- Give the session its own UNLOGGED trace_log partition, moving its rows out
-- of the default partition: 'created', 'exists', or 'other' (a relation of
-- that name that is not a partition of trace_log). The DDL runs in the
-- SECURITY DEFINER function babylon_create_trace_partition (ddl/pg/090_trace.sql),
-- owned by the schema owner, so the writer role may call it.
SELECT babylon_create_trace_partition(:session_id);
