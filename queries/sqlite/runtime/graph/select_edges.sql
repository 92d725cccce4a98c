-- name: select_edges(session_id, tick)
-- The edges of one tick in graph order: source_id, source_ref, target_id,
-- target_ref and attributes as written JSON text (primary key prefix, then a
-- sort by ord). Read in batches and decoded once each by the client.
SELECT source_id, source_ref, target_id, target_ref, attributes
FROM edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
