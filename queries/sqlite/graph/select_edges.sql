-- name: select_edges(session_id, tick)
-- The edges of one tick in graph order.
SELECT source_id, source_ref, target_id, target_ref, attributes
FROM edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
