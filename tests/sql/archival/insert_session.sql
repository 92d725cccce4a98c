-- name: insert_session(session_id, name)!
-- Test helper: one game_session row.
INSERT INTO game_session (session_id, name, config)
VALUES (:session_id, :name, '{"seed": 7, "scenario": "test"}'::jsonb);
