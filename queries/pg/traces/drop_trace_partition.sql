-- name: drop_trace_partition#
-- Drop one session's trace partition with all its rows.
-- {partition} is a psycopg.sql.Identifier.
DROP TABLE IF EXISTS {partition};
