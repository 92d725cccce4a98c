-- name: delete_tick_nodes(session_id, tick)!
-- Remove the nodes of one tick before it is written again (primary key
-- prefix; the new rows come under the next generation).
DELETE FROM node_state WHERE session_id = :session_id AND tick = :tick;
