-- name: session_exists(session_id)$
-- Whether a game_session row has this id. Primary key lookup.
SELECT EXISTS (SELECT 1 FROM game_session WHERE session_id = :session_id);
