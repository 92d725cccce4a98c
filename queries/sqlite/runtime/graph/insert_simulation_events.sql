-- name: insert_simulation_events(session_id, tick, seq, event_type, payload)*!
-- The events of one tick, in order (batched by the caller).
INSERT INTO simulation_event (session_id, tick, seq, event_type, payload)
VALUES (:session_id, :tick, :seq, :event_type, :payload);
