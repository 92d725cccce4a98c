-- name: bench_hex_naive_read_heat(game_id)
-- Heat layer from the baseline table.
SELECT game_id, h3_index, tick, heat, heat_delta, org_count
FROM hex_latest_naive WHERE game_id = :game_id AND heat > 0;
