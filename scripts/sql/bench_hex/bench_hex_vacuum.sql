-- name: bench_hex_vacuum#
-- Settle the tables before measuring sizes and reads (a long game has autovacuum).
VACUUM ANALYZE territory_snapshot, hex_activity, hex_county_latest, hex_latest_head,
    hex_base, hex_substrate, hex_map, hex_latest_naive;
