-- name: analyze_hex_map#
-- Fresh statistics after a bulk load: without them the seed's join plans badly
-- (FACTS: 108 s instead of 0.85 s at CONUS scale).
-- Through the SECURITY DEFINER function babylon_analyze (ddl/pg/015_maintenance.sql):
-- only a table's owner may ANALYZE it, the writer role may call the function.
SELECT babylon_analyze('hex_map');
