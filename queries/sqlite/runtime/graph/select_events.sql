-- name: select_events(session_id, tick)
-- Events of one tick, or of every tick when tick is NULL, in order.
SELECT tick, seq, event_type, payload
FROM simulation_event
WHERE session_id = :session_id AND (:tick IS NULL OR tick = :tick)
ORDER BY tick, seq;
