-- name: select_edges(session_id, tick)$
-- The edges of one tick in graph order, as one JSON array of
-- [source_id, source_ref, target_id, target_ref, attributes].
SELECT coalesce(
           json_group_array(json_array(source_id, json(source_ref), target_id, json(target_ref),
                                       json(attributes))),
           '[]')
FROM (
    SELECT source_id, source_ref, target_id, target_ref, attributes
    FROM edge_state
    WHERE session_id = :session_id AND tick = :tick
    ORDER BY ord
);
