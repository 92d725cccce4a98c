-- name: lock_session_for_update(session_id)$
-- Lock the session row FOR UPDATE while it is verified and purged: writers
-- of session-scoped rows (foreign keys take FOR KEY SHARE on it) and
-- persist_traces wait, so the counts checked are the rows deleted.
-- Returns NULL when there is no such session. Primary key lookup.
SELECT true
FROM game_session
WHERE session_id = :session_id
FOR UPDATE;
