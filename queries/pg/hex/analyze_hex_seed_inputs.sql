-- name: analyze_hex_seed_inputs#
-- Statistics of the tables the seed joins (territory_snapshot is usually
-- written just before seeding, before autovacuum has looked at it; a join
-- planned on fresh tables without statistics took 108 s instead of 0.85 s).
ANALYZE hex_map, hex_substrate, territory_snapshot, hex_activity;
