-- name: node_rows(session_id, tick)
-- The node_state rows of one tick (a table before version 3, a view since), in graph order.
SELECT session_id, tick, node_id, ord, node_ref, node_type, attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
