-- name: select_nodes(session_id, tick)
-- The nodes of one tick in graph order; json as text for the client's decoder.
SELECT node_id, node_ref::text AS node_ref, attributes::text AS attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
