-- name: select_nodes(session_id, tick)
-- The nodes of one tick in graph order.
SELECT node_id, node_ref, attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
