-- name: select_nodes(session_id, tick)
-- The nodes of one tick in graph order: node_id, node_ref and attributes as
-- the JSON text that was written (the primary key prefix finds the rows; one
-- tick's rows are sorted by ord in memory). Read in batches and decoded
-- once each by the client.
SELECT node_id, node_ref::text AS node_ref, attributes::text AS attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
