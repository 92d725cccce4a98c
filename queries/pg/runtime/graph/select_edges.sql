-- name: select_edges(session_id, tick, generation)
-- The edges of one tick in graph order: source_id, source_ref, target_id,
-- target_ref and attributes as written JSON text, in primary key order (no
-- sort). Read in batches and decoded once each by the client.
SELECT source_id, source_ref::text AS source_ref, target_id, target_ref::text AS target_ref,
       attributes::text AS attributes
FROM edge_state
WHERE session_id = :session_id AND tick = :tick AND generation = :generation
ORDER BY ord;
