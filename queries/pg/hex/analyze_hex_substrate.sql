-- name: analyze_hex_substrate#
-- Fresh statistics after a bulk load of the R8 substrate.
-- Through the SECURITY DEFINER function babylon_analyze (ddl/pg/015_maintenance.sql):
-- only a table's owner may ANALYZE it, the writer role may call the function.
SELECT babylon_analyze('hex_substrate');
