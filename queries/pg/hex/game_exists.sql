-- name: game_exists(game_id)$
-- The game's session id, or NULL if no game_session row has it (read paths;
-- takes no lock). Served by the game_session primary key.
SELECT session_id
FROM game_session
WHERE session_id = :game_id;
