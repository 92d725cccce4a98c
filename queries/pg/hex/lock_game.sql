-- name: lock_game(game_id)$
-- The game's session id, or NULL if no game_session row has it. Locks the row
-- FOR NO KEY UPDATE so seeds, refreshes and journal writes of one game run
-- one at a time (foreign-key checks of other writers are not blocked).
-- Served by the game_session primary key.
SELECT session_id
FROM game_session
WHERE session_id = :game_id
FOR NO KEY UPDATE;
