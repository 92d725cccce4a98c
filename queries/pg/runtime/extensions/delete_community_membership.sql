-- name: delete_community_membership(session_id, tick)!
-- Remove one tick's community_membership rows before they are written again (primary key prefix).
DELETE FROM community_membership WHERE session_id = :session_id AND tick = :tick;
