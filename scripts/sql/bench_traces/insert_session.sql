-- name: insert_session(session_id)!
-- Benchmark helper: the game_session row the traces belong to.
INSERT INTO game_session (session_id, name) VALUES (:session_id, 'bench_traces');
