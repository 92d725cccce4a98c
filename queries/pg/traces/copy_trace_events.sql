-- name: copy_trace_events#
-- Bulk load of one tick's trace events (persist_traces), binary COPY: rows
-- are routed to the session's partition, or to trace_log_default.
-- copy-types: uuid, int4, int4, int2, text, text, text, bytea
COPY trace_log (session_id, tick, seq, level, system, event, node_id, data)
FROM STDIN (FORMAT BINARY);
