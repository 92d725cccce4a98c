-- name: delete_contradiction_field(session_id, tick)!
-- Remove one tick's contradiction_field rows before they are written again (primary key prefix).
DELETE FROM contradiction_field WHERE session_id = :session_id AND tick = :tick;
