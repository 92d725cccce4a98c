-- name: get_game_session(game_id)^
-- One game session as a struct keyed by column name, or no row.
-- Served by the primary key on game_id.
SELECT g AS session
FROM game_sessions AS g
WHERE g.game_id = :game_id;
