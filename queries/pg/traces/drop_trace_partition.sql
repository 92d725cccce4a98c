-- name: drop_trace_partition(session_id)$
-- Drop the session's trace_log partition if it has one; whether it did.
-- Through the SECURITY DEFINER function babylon_drop_trace_partition
-- (ddl/pg/090_trace.sql), so the writer role may call it.
SELECT babylon_drop_trace_partition(:session_id);
