-- name: insert_session(session_id, name)!
-- A session with an id the benchmark chooses: one that sorts below every
-- other, as a random (version 4) id sorts below some older session's.
INSERT INTO game_session (session_id, name) VALUES (:session_id, :name);
