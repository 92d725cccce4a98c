-- name: bench_hex_naive_analyze#
-- Statistics for the baseline table after its bulk seed.
ANALYZE hex_latest_naive;
