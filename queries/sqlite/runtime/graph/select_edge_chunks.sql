-- name: select_edge_chunks(session_id, tick)
-- The edge chunks of one tick in graph order (see select_node_chunks).
SELECT CAST(edges AS BLOB) AS edges
FROM edge_chunk
WHERE session_id = :session_id AND tick = :tick
ORDER BY first_ord;
