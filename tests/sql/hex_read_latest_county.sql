-- name: hex_read_latest_county(game_id, county_fips)
-- The hex_latest rows of one county (a viewport), in h3_index order.
SELECT * FROM hex_latest WHERE game_id = :game_id AND county_fips = :county_fips ORDER BY h3_index;
