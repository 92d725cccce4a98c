-- name: lock_session(session_id)$
-- Check that a session exists and keep it from being deleted until the
-- transaction ends (FOR KEY SHARE does not block other writers of the session).
SELECT session_id FROM game_session WHERE session_id = :session_id FOR KEY SHARE;
