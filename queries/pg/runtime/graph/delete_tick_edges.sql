-- name: delete_tick_edges(session_id, tick)!
-- Remove the edges of one tick before it is written again (primary key
-- prefix; the new rows come under the next generation).
DELETE FROM edge_state WHERE session_id = :session_id AND tick = :tick;
