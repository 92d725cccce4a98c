-- name: insert_simulation_event(session_id, tick, seq, event_type)!
-- Test helper: one simulation_event row (a table two foreign keys away from game_session).
INSERT INTO simulation_event (session_id, tick, seq, event_type, payload)
VALUES (:session_id, :tick, :seq, :event_type, '{"k": [1, 2.5, "x"]}');
