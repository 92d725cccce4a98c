-- name: create_session(name, status, config)$
-- Create a game session and return its id (gen_random_uuid(), core since PG 13).
INSERT INTO game_session (name, status, config)
VALUES (:name, :status, :config::jsonb)
RETURNING session_id;
