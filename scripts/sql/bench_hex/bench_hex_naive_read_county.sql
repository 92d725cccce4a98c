-- name: bench_hex_naive_read_county(game_id, county_fips)
-- Viewport: one county's hexes from the baseline table.
SELECT * FROM hex_latest_naive WHERE game_id = :game_id AND county_fips = :county_fips;
