-- name: get_session_metadata(session_id, key)$
-- One metadata value of a session, or NULL (primary key lookup).
SELECT value FROM session_metadata WHERE session_id = :session_id AND key = :key;
