-- name: analyze_hex_base#
-- Statistics of hex_base right after a rebuild.
-- Through the SECURITY DEFINER function babylon_analyze (ddl/pg/015_maintenance.sql):
-- only a table's owner may ANALYZE it, the writer role may call the function.
SELECT babylon_analyze('hex_base');
