-- name: delete_action_result(session_id, tick)!
-- Remove one tick's action_result rows before they are written again (primary key prefix).
DELETE FROM action_result WHERE session_id = :session_id AND tick = :tick;
