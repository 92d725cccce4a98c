-- name: select_edges(session_id, tick)
-- The edges of one tick in graph order; json as text for the client's decoder.
SELECT source_id, source_ref::text AS source_ref, target_id, target_ref::text AS target_ref,
       attributes::text AS attributes
FROM edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
