-- name: hex_create_game(name)$
-- A game_session row for the hex journal tests.
INSERT INTO game_session (name) VALUES (:name) RETURNING session_id;
