-- name: insert_territory_snapshot(game_id, tick, county_fips, value_tensor)!
-- Test helper: one territory_snapshot row (double precision[] column).
INSERT INTO territory_snapshot (game_id, tick, county_fips, value_tensor, profit_rate, pop_total)
VALUES (:game_id, :tick, :county_fips, :value_tensor, 0.25, 1000);
