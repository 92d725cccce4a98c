-- name: analyze_hex_cache#
-- Statistics of the per-game cache tables right after seed_hex_latest.
-- Through the SECURITY DEFINER function babylon_analyze (ddl/pg/015_maintenance.sql):
-- only a table's owner may ANALYZE it, the writer role may call the function.
SELECT babylon_analyze('hex_county_latest', 'hex_latest_head');
