-- name: create_trace_partition_table#
-- The future partition of one session as a standalone UNLOGGED table with
-- trace_log's columns and defaults. {partition} is a psycopg.sql.Identifier.
CREATE UNLOGGED TABLE {partition} (LIKE trace_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
