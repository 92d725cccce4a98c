-- name: delete_community_state(session_id, tick)!
-- Remove one tick's community_state rows before they are written again (primary key prefix).
DELETE FROM community_state WHERE session_id = :session_id AND tick = :tick;
