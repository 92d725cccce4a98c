-- name: move_default_traces(session_id)!
-- Move the session's rows out of trace_log_default into its new partition
-- table (before it is attached, which fails while the default holds them).
-- Served by the default partition's copy of trace_log_session_tick_idx.
-- {partition} is a psycopg.sql.Identifier.
WITH moved AS (
    DELETE FROM trace_log_default
    WHERE session_id = :session_id
    RETURNING session_id, tick, seq, level, system, event, node_id, data, recorded_at
)
INSERT INTO {partition} (session_id, tick, seq, level, system, event, node_id, data, recorded_at)
SELECT session_id, tick, seq, level, system, event, node_id, data, recorded_at
FROM moved;
