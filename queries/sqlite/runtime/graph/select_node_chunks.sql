-- name: select_node_chunks(session_id, tick)
-- The node chunks of one tick in graph order (primary key order), each as the
-- UTF-8 bytes of its JSON array, which the client decodes with one call.
SELECT CAST(nodes AS BLOB) AS nodes
FROM node_chunk
WHERE session_id = :session_id AND tick = :tick
ORDER BY first_ord;
