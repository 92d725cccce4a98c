-- name: trace_rows(session_id)
-- Test helper: the traces of one session with the partition holding each row.
SELECT tick, seq, level, system, event, node_id, data, tableoid::regclass::text AS partition
FROM trace_log
WHERE session_id = :session_id
ORDER BY tick, seq;
