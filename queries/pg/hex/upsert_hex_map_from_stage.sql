-- name: upsert_hex_map_from_stage()
-- Merge hex_map_stage into hex_map: new hexes are inserted, a hex given
-- another county is reassigned (an upsert of the mapping); unchanged rows
-- are not rewritten. Returns the hexes inserted or changed, with their
-- county, so that hex_base and the county caches follow. Primary-key probes.
INSERT INTO hex_map AS m (h3_index, county_fips, resolution)
SELECT s.h3_index, s.county_fips, s.resolution
FROM hex_map_stage AS s
ON CONFLICT (h3_index) DO UPDATE SET
    county_fips = excluded.county_fips,
    resolution = excluded.resolution
WHERE (m.county_fips, m.resolution) IS DISTINCT FROM (excluded.county_fips, excluded.resolution)
RETURNING m.h3_index, m.county_fips;
