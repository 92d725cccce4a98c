-- name: select_nodes(session_id, tick)
-- The nodes of one tick in graph order: node_id, node_ref and attributes as
-- the JSON text that was written (primary key prefix, then a sort by ord).
-- Read in batches and decoded once each by the client.
SELECT node_id, node_ref, attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
