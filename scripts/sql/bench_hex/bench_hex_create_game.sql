-- name: bench_hex_create_game(name)$
-- A game_session row for the benchmark.
INSERT INTO game_session (name) VALUES (:name) RETURNING session_id;
