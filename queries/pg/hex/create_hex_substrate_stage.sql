-- name: create_hex_substrate_stage#
-- Staging table for a hex_substrate load that meets existing children (a
-- reload or a change of terrain): rows are COPYed here, then
-- upsert_hex_substrate_from_stage merges them. Temporary, dropped at commit.
CREATE TEMPORARY TABLE hex_substrate_stage (
    h3_index        bigint           NOT NULL,
    parent_h3_index bigint           NOT NULL,
    terrain_type    text,
    water_coverage  double precision,
    broadband       boolean,
    surveillance    double precision
) ON COMMIT DROP;
