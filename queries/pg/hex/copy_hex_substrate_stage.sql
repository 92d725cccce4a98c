-- name: copy_hex_substrate_stage#
-- Rows of a hex_substrate load into hex_substrate_stage (binary COPY, same
-- columns as copy_hex_substrate).
-- copy-types: int8, int8, text, float8, bool, float8
COPY hex_substrate_stage (
    h3_index, parent_h3_index, terrain_type, water_coverage, broadband, surveillance
) FROM STDIN (FORMAT BINARY);
