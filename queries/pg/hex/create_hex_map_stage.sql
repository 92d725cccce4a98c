-- name: create_hex_map_stage#
-- Staging table for a hex_map load that meets existing hexes (a reload or a
-- reassignment): rows are COPYed here, then upsert_hex_map_from_stage merges
-- them. Temporary, dropped at commit.
CREATE TEMPORARY TABLE hex_map_stage (
    h3_index    bigint   NOT NULL,
    county_fips text     NOT NULL,
    resolution  smallint NOT NULL
) ON COMMIT DROP;
