-- name: analyze_hex_seed_inputs#
-- Statistics of the journals the seed and the first refreshes read
-- (territory_snapshot is usually written just before seeding, before
-- autovacuum has looked at it; a seed join planned on fresh tables without
-- statistics took 108 s instead of 0.85 s).
ANALYZE territory_snapshot, hex_activity;
