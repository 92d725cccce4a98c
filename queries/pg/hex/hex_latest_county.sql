-- name: hex_latest_county(game_id, county_fips)
-- Viewport: the hex_latest rows of one county, in index order. One
-- hex_county_latest primary-key probe, the county's hexes from
-- hex_base_county_idx, the head tick's activity rows joined by hash.
SELECT * FROM hex_latest
WHERE game_id = :game_id AND county_fips = :county_fips
ORDER BY h3_index;
