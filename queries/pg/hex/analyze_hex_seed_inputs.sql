-- name: analyze_hex_seed_inputs#
-- Statistics of the journals the seed and the first refreshes read
-- (territory_snapshot is usually written just before seeding, before
-- autovacuum has looked at it; a seed join planned on fresh tables without
-- statistics took 108 s instead of 0.85 s).
-- Through the SECURITY DEFINER function babylon_analyze (ddl/pg/015_maintenance.sql):
-- only a table's owner may ANALYZE it, the writer role may call the function.
SELECT babylon_analyze('territory_snapshot', 'hex_activity');
