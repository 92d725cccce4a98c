-- name: get_tick_summary(session_id, tick)$
-- The summary of one tick as text (primary key lookup).
SELECT summary::text FROM tick_summary WHERE session_id = :session_id AND tick = :tick;
