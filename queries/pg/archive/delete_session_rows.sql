-- name: delete_session_rows(session_id)!
-- Delete one session's rows from one table (purge, children first so each
-- table reports its own count). {table} and {column} are
-- psycopg.sql.Identifier. Served by the table's primary key.
DELETE FROM {table}
WHERE {column} = :session_id;
