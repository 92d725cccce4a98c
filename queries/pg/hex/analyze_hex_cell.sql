-- name: analyze_hex_cell#
-- Fresh statistics after a bulk load of hex geometries (the GiST index is
-- only chosen once the planner knows the table is large).
ANALYZE hex_cell;
