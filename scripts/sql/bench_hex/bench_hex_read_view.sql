-- name: bench_hex_read_view(game_id)
-- The whole-game read of the issue's budget: every hex_latest row of a game.
SELECT * FROM hex_latest WHERE game_id = :game_id;
