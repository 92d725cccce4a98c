-- name: create_plain_table#
-- Test helper: an ordinary table; {name} is a psycopg.sql.Identifier.
CREATE TABLE {name} (x integer);
