-- name: naive_pg_select_edges(session_id, tick)
-- Baseline read: plain SELECT of the edges of a tick.
SELECT source_id, target_id, attributes::text FROM naive_edge_state
WHERE session_id = :session_id AND tick = :tick;
