-- name: select_nodes(session_id, tick)$
-- The nodes of one tick in graph order, as one JSON array of
-- [node_id, node_ref, attributes] (the primary key prefix finds the rows).
-- One document instead of one row per node: the client decodes it in one call.
-- json_build_array keeps each json value's text as written.
SELECT coalesce(json_agg(json_build_array(node_id, node_ref, attributes) ORDER BY ord), '[]'::json)::text
FROM node_state
WHERE session_id = :session_id AND tick = :tick;
