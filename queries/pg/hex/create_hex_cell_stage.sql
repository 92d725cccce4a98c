-- name: create_hex_cell_stage#
-- Staging table of load_hex_cells (temporary, dropped at commit): EWKB
-- geometries computed from real H3 boundaries are COPYed here, then
-- insert_hex_cell_from_stage adds the cells hex_cell lacks.
CREATE TEMPORARY TABLE hex_cell_stage (
    h3_index   bigint   NOT NULL,
    resolution smallint NOT NULL,
    boundary   geometry NOT NULL,
    centroid   geometry NOT NULL
) ON COMMIT DROP;
