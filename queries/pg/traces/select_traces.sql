-- name: select_traces(session_id, tick)
-- Trace events of a session (one tick, or every tick when tick is NULL), in
-- order; trace_log_session_tick_idx serves it, partition pruning picks the
-- session's partition.
SELECT tick, seq, level, system, event, node_id, data::text AS data
FROM trace_log
WHERE session_id = :session_id AND (:tick::integer IS NULL OR tick = :tick::integer)
ORDER BY tick, seq;
