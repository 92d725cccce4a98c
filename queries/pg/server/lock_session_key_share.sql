-- name: lock_session_key_share(session_id)$
-- Whether the session exists; locks its game_session row FOR KEY SHARE so a
-- concurrent purge cannot delete it while its traces are written. Primary key.
SELECT true
FROM game_session
WHERE session_id = :session_id
FOR KEY SHARE;
