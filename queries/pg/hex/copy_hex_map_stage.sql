-- name: copy_hex_map_stage#
-- Rows of a hex_map load into hex_map_stage (binary COPY, same columns as copy_hex_map).
COPY hex_map_stage (h3_index, county_fips, resolution) FROM STDIN (FORMAT BINARY);
