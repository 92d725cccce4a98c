-- name: copy_hex_substrate#
-- Bulk load of the static R8 substrate (~1.7M rows). Fed by
-- load_hex_substrate through cursor.copy().
-- copy-types: int8, int8, text, float8, bool, float8
COPY hex_substrate (h3_index, parent_h3_index, terrain_type, water_coverage, broadband, surveillance)
FROM STDIN (FORMAT BINARY);
