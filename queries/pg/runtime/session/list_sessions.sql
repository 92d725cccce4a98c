-- name: list_sessions(status, lim)
-- Sessions, newest first, optionally of one status
-- (game_session_status_created_idx serves the filtered form).
SELECT session_id, name, status, config, created_at, updated_at, ended_at, end_tick
FROM game_session
WHERE (:status::text IS NULL OR status = :status::text)
ORDER BY created_at DESC, session_id
LIMIT :lim;
