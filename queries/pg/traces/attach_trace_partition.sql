-- name: attach_trace_partition#
-- Attach the session's table as the trace_log partition for that session;
-- PostgreSQL checks its rows and builds its copy of the partitioned index.
-- {partition} is a psycopg.sql.Identifier, {session_id} a psycopg.sql.Literal.
ALTER TABLE trace_log ATTACH PARTITION {partition} FOR VALUES IN ({session_id});
