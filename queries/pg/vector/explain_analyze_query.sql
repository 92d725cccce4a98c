-- name: explain_analyze_query#
-- Run a statement and return its plan with measured times, as JSON (used by
-- the benchmark for server-side execution time). {statement} is a
-- psycopg.sql.Composed built from a query of this folder.
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {statement};
