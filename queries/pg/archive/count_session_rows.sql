-- name: count_session_rows(session_id)$
-- Number of rows of one session in one table (purge verification).
-- {table} and {column} are psycopg.sql.Identifier. Served by the table's
-- primary key, which leads with the session column (document_chunk, keyed by
-- collection, is scanned).
SELECT count(*)
FROM {table}
WHERE {column} = :session_id;
