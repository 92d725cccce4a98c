-- name: edge_rows(session_id, tick)
-- The edge_state rows of one tick (a table before version 3, a view since), in graph order.
SELECT session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes
FROM edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
