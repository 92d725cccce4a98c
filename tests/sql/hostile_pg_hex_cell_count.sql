-- name: hostile_pg_hex_cell_count()$
-- Rows of hex_cell (PostGIS only), for the matrix's populate_hex_cells and
-- load_hex_cells slots.
SELECT count(*) FROM hex_cell;
