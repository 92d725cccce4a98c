-- name: bench_hex_naive_checksum(game_id)^
-- Sums over the baseline table of a game.
SELECT count(*), sum(profit_rate), sum(heat), sum(org_count), count(activity_tick), max(tick)
FROM hex_latest_naive WHERE game_id = :game_id;
