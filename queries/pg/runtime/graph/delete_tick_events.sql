-- name: delete_tick_events(session_id, tick)!
-- Remove the events of one tick before it is written again (primary key prefix).
DELETE FROM simulation_event WHERE session_id = :session_id AND tick = :tick;
