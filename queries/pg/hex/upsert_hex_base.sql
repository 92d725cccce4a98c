-- name: upsert_hex_base(h3_indexes)!
-- Incremental rebuild of hex_base for the R7 hexes :h3_indexes (those a
-- static load inserted or changed, or whose R8 children it changed): each
-- with its current county from hex_map and its substrate aggregated as in
-- rebuild_hex_base (one probe of hex_substrate_parent_idx per hex, LATERAL).
-- Rows that did not change are not rewritten.
INSERT INTO hex_base AS b (
    h3_index, county_fips, terrain_type, water_coverage, internet_access, broadband_share
)
SELECT
    m.h3_index,
    m.county_fips,
    s.terrain_type,
    s.water_coverage,
    s.internet_access,
    s.broadband_share
FROM (SELECT DISTINCT q.h3_index FROM unnest(CAST(:h3_indexes AS bigint[])) AS q (h3_index)) AS q
INNER JOIN hex_map AS m ON m.h3_index = q.h3_index
CROSS JOIN LATERAL (
    SELECT
        mode() WITHIN GROUP (ORDER BY x.terrain_type) AS terrain_type,
        avg(x.water_coverage) AS water_coverage,
        bool_or(x.broadband) AS internet_access,
        avg(x.broadband::integer) AS broadband_share
    FROM hex_substrate AS x
    WHERE x.parent_h3_index = m.h3_index
) AS s
ON CONFLICT (h3_index) DO UPDATE SET
    county_fips = excluded.county_fips,
    terrain_type = excluded.terrain_type,
    water_coverage = excluded.water_coverage,
    internet_access = excluded.internet_access,
    broadband_share = excluded.broadband_share
WHERE (b.county_fips, b.terrain_type, b.water_coverage, b.internet_access, b.broadband_share)
    IS DISTINCT FROM (
        excluded.county_fips, excluded.terrain_type, excluded.water_coverage,
        excluded.internet_access, excluded.broadband_share
    );
