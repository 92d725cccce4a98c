-- name: seed_hex_latest(game_id)!
-- Tick-0 ETL of the static part of hex_latest: every hex of hex_map with its
-- county, and its R8 children of hex_substrate aggregated per R7 parent
-- (most frequent terrain, mean water coverage, share of children with
-- broadband). One hash aggregate over hex_substrate; hex_map is scanned once.
INSERT INTO hex_base (game_id, h3_index, county_fips, terrain_type, water_coverage, internet_access)
SELECT
    :game_id,
    m.h3_index,
    m.county_fips,
    s.terrain_type,
    s.water_coverage,
    s.internet_access
FROM hex_map AS m
LEFT JOIN (
    SELECT
        parent_h3_index,
        mode() WITHIN GROUP (ORDER BY terrain_type) AS terrain_type,
        avg(water_coverage) AS water_coverage,
        avg(broadband::integer) AS internet_access
    FROM hex_substrate
    GROUP BY parent_h3_index
) AS s ON s.parent_h3_index = m.h3_index;
