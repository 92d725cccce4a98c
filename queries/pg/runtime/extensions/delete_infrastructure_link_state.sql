-- name: delete_infrastructure_link_state(session_id, tick)!
-- Remove one tick's infrastructure_link_state rows before they are written again (primary key prefix).
DELETE FROM infrastructure_link_state WHERE session_id = :session_id AND tick = :tick;
