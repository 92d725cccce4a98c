-- name: copy_hex_cell_stage#
-- Cells of load_hex_cells into hex_cell_stage: binary COPY, the geometries
-- sent as EWKB (SRID 4326), which PostGIS's binary input reads as is.
-- copy-types: int8, int2, bytea, bytea
-- (the geometries travel as EWKB built in Python, declared bytea)
COPY hex_cell_stage (h3_index, resolution, boundary, centroid) FROM STDIN (FORMAT BINARY);
