-- name: lock_session(session_id)$
-- Check that a session exists and hold its row until the transaction ends.
-- FOR NO KEY UPDATE serialises the writers of one session (two persist_tick
-- calls of the same tick would otherwise both delete, then both insert, and
-- one would fail on the primary key); it does not block readers, nor the
-- foreign-key checks (FOR KEY SHARE) of rows written into other tables.
SELECT session_id FROM game_session WHERE session_id = :session_id FOR NO KEY UPDATE;
