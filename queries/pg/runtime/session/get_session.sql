-- name: get_session(session_id)^
-- One session by id (primary key).
SELECT session_id, name, status, config, created_at, updated_at, ended_at, end_tick
FROM game_session
WHERE session_id = :session_id;
