-- name: bench_hex_explain#
-- Server-side execution time of a read (TIMING OFF: no per-node clock
-- overhead): {query} is another query's text,
-- composed with psycopg.sql; its parameters are bound as usual.
EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {query};
