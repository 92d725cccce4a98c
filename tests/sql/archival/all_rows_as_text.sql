-- name: all_rows_as_text()
-- Test helper: every row of one table as its row text, sorted. {table} is a
-- psycopg.sql.Identifier.
SELECT t::text AS row_text
FROM {table} AS t
ORDER BY 1;
