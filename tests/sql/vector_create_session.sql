-- name: vector_create_session(name)$
-- A game_session row for the vector store tests.
INSERT INTO game_session (name) VALUES (:name) RETURNING session_id;
