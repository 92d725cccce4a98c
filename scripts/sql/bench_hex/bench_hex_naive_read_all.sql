-- name: bench_hex_naive_read_all(game_id)
-- Every row of a game in the baseline per-hex table.
SELECT * FROM hex_latest_naive WHERE game_id = :game_id;
