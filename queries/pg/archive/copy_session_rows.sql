-- name: copy_session_rows#
-- Restore: COPY rows of one table from the client, in the column order of
-- the archived Parquet file (text format; the server parses each value with
-- the column's input function). {table} is a psycopg.sql.Identifier,
-- {columns} a list of them. No index is read; each one is maintained.
COPY {table} ({columns}) FROM STDIN;
