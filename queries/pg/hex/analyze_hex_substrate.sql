-- name: analyze_hex_substrate#
-- Fresh statistics after a bulk load of the R8 substrate.
ANALYZE hex_substrate;
