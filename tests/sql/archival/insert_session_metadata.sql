-- name: insert_session_metadata(session_id, key, value)!
-- Test helper: one session_metadata row.
INSERT INTO session_metadata (session_id, key, value) VALUES (:session_id, :key, :value);
