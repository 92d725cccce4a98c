-- name: delete_tick_edges(session_id, tick)!
-- Remove the edge chunks of one tick before it is written again (primary key prefix).
DELETE FROM edge_chunk WHERE session_id = :session_id AND tick = :tick;
