-- name: explain_analyze#
-- Server-side execution time of a read (TIMING OFF: no per-node clock
-- overhead): {query} is another query's text, composed with psycopg.sql
-- (scripts/benchexplain.py); its parameters are bound as usual.
EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {query};
