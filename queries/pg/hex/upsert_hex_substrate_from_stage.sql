-- name: upsert_hex_substrate_from_stage()
-- Merge hex_substrate_stage into hex_substrate (new children inserted,
-- changed ones rewritten, unchanged ones left alone). Returns the R7 parents
-- of the children inserted or changed, whose hex_base rows must follow.
-- Primary-key probes.
WITH merged AS (
    INSERT INTO hex_substrate AS x (
        h3_index, parent_h3_index, terrain_type, water_coverage, broadband, surveillance
    )
    SELECT s.h3_index, s.parent_h3_index, s.terrain_type, s.water_coverage, s.broadband, s.surveillance
    FROM hex_substrate_stage AS s
    ON CONFLICT (h3_index) DO UPDATE SET
        parent_h3_index = excluded.parent_h3_index,
        terrain_type = excluded.terrain_type,
        water_coverage = excluded.water_coverage,
        broadband = excluded.broadband,
        surveillance = excluded.surveillance
    WHERE (x.parent_h3_index, x.terrain_type, x.water_coverage, x.broadband, x.surveillance)
        IS DISTINCT FROM (
            excluded.parent_h3_index, excluded.terrain_type, excluded.water_coverage,
            excluded.broadband, excluded.surveillance
        )
    RETURNING x.parent_h3_index
)
SELECT DISTINCT parent_h3_index FROM merged;
