-- name: analyze_hex_seed_inputs#
-- Statistics of the tables the seed joins (territory_snapshot is usually
-- written just before seeding, before autovacuum has looked at it; a join
-- planned on fresh tables without statistics took 108 s instead of 0.85 s).
-- hex_substrate is left out: load_hex_substrate analyzes it after its COPY,
-- and sampling its 1.7M rows again would cost the seed more than it saves.
ANALYZE hex_map, territory_snapshot, hex_activity;
