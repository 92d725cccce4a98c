-- name: table_rows(session_id)
-- Test helper: one session's rows of one table as psycopg decodes them,
-- in the order of their row text. {table} and {column} are
-- psycopg.sql.Identifier.
SELECT t.*
FROM {table} AS t
WHERE t.{column} = :session_id
ORDER BY t::text;
