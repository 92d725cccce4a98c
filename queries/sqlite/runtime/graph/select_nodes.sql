-- name: select_nodes(session_id, tick)$
-- The nodes of one tick in graph order, as one JSON array of
-- [node_id, node_ref, attributes]; json() embeds the stored documents.
SELECT coalesce(json_group_array(json_array(node_id, json(node_ref), json(attributes))), '[]')
FROM (
    SELECT node_id, node_ref, attributes
    FROM node_state
    WHERE session_id = :session_id AND tick = :tick
    ORDER BY ord
);
