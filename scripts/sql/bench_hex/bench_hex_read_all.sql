-- name: bench_hex_read_all(game_id)
-- Every hex_latest row of a game (the view).
SELECT * FROM hex_latest WHERE game_id = :game_id;
