-- name: rebuild_hex_base()!
-- The static part of hex_latest for every game: each hex of hex_map with its
-- county, and its R8 children of hex_substrate aggregated per R7 parent (most
-- frequent terrain, ties to the first in sort order; mean water coverage;
-- internet_access = BOOL_OR of the children's broadband, as designed, and
-- broadband_share = the share of children with it). One aggregate over hex_substrate (via
-- hex_substrate_parent_idx or a hash), hex_map scanned once. Runs after
-- lock_hex_base and delete_hex_base in the same transaction.
INSERT INTO hex_base (
    h3_index, county_fips, terrain_type, water_coverage, internet_access, broadband_share
)
SELECT
    m.h3_index,
    m.county_fips,
    s.terrain_type,
    s.water_coverage,
    s.internet_access,
    s.broadband_share
FROM hex_map AS m
LEFT JOIN (
    SELECT
        parent_h3_index,
        mode() WITHIN GROUP (ORDER BY terrain_type) AS terrain_type,
        avg(water_coverage) AS water_coverage,
        bool_or(broadband) AS internet_access,
        avg(broadband::integer) AS broadband_share
    FROM hex_substrate
    GROUP BY parent_h3_index
) AS s ON s.parent_h3_index = m.h3_index;
