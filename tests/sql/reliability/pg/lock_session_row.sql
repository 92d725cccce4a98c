-- name: lock_session_row(session_id)$
-- Hold a session's row FOR UPDATE, so a writer of that session waits.
SELECT session_id FROM game_session WHERE session_id = :session_id FOR UPDATE;
