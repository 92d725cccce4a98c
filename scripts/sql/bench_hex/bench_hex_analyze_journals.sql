-- name: bench_hex_analyze_journals#
-- Fresh statistics after the bench wrote a long journal history (autovacuum
-- would do it in a long-running game).
ANALYZE territory_snapshot, hex_activity;
