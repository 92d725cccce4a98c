-- name: select_nodes(session_id, tick, generation)
-- The nodes of one tick in graph order: node_id, node_ref and attributes as
-- the JSON text that was written. The primary key (session_id, tick,
-- generation, ord) gives the rows in order, without a sort. Read in batches
-- and decoded once each by the client.
SELECT node_id, node_ref::text AS node_ref, attributes::text AS attributes
FROM node_state
WHERE session_id = :session_id AND tick = :tick AND generation = :generation
ORDER BY ord;
