-- name: select_events(session_id, tick)
-- Events of one tick, or of every tick when tick is NULL, in order.
SELECT tick, seq, event_type, payload::text AS payload
FROM simulation_event
WHERE session_id = :session_id AND (:tick::integer IS NULL OR tick = :tick::integer)
ORDER BY tick, seq;
