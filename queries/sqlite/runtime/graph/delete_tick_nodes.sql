-- name: delete_tick_nodes(session_id, tick)!
-- Remove the node chunks of one tick before it is written again (primary key prefix).
DELETE FROM node_chunk WHERE session_id = :session_id AND tick = :tick;
