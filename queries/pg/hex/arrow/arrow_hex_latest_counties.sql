-- name: arrow_hex_latest_counties(game_id, hexes)
-- The county columns of hex_latest at one hex per county (:hexes, the text
-- form of a bigint[], one hex of each county), for view_arrow: in hex_latest
-- they come from the county's territory row, the same for every hex of the
-- county, so they are read through the view 3,100 times instead of 216K.
SELECT
    h3_index, county_fips, tick, profit_rate, exploitation_rate, occ, imperial_rent, pop_total,
    mobilizable_pop, dominant_class
FROM hex_latest
WHERE game_id = :game_id AND h3_index = ANY(CAST(:hexes AS bigint[]));
