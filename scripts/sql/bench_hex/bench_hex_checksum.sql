-- name: bench_hex_checksum(game_id)^
-- Sums over the hex_latest view of a game, compared with the baseline table.
SELECT count(*), sum(profit_rate), sum(heat), sum(org_count), count(activity_tick), max(tick)
FROM hex_latest WHERE game_id = :game_id;
