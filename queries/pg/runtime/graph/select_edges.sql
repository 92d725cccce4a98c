-- name: select_edges(session_id, tick)$
-- The edges of one tick in graph order, as one JSON array of
-- [source_id, source_ref, target_id, target_ref, attributes] (primary key prefix).
SELECT coalesce(
           json_agg(json_build_array(source_id, source_ref, target_id, target_ref, attributes)
                    ORDER BY ord),
           '[]'::json)::text
FROM edge_state
WHERE session_id = :session_id AND tick = :tick;
