-- name: chunk_counts(session_id, tick)^
-- How many chunk rows hold the nodes and the edges of one tick.
SELECT
    (SELECT count(*) FROM node_chunk WHERE session_id = :session_id AND tick = :tick) AS node_chunks,
    (SELECT count(*) FROM edge_chunk WHERE session_id = :session_id AND tick = :tick) AS edge_chunks;
