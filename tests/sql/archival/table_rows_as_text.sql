-- name: table_rows_as_text(session_id)
-- Test helper: one session's rows of one table, each as its row text (every
-- column in its type's output form), sorted. {table} and {column} are
-- psycopg.sql.Identifier.
SELECT t::text AS row_text
FROM {table} AS t
WHERE t.{column} = :session_id
ORDER BY 1;
