-- name: bench_hex_read_county(game_id, county_fips)
-- Viewport: one county's hexes from the hex_latest view.
SELECT * FROM hex_latest WHERE game_id = :game_id AND county_fips = :county_fips;
