-- name: copy_hex_map_stage#
-- Rows of a hex_map load into hex_map_stage (binary COPY, same columns as copy_hex_map).
-- copy-types: int8, text, int2
COPY hex_map_stage (h3_index, county_fips, resolution) FROM STDIN (FORMAT BINARY);
