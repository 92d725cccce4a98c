-- name: session_row_bytes(session_id)^
-- Rows of one session in one table and the bytes of their row data
-- (pg_column_size of each row: heap tuple data, without page overhead or
-- indexes), for the demo's storage report and `babylon-sql sessions show`.
-- {table} and {column} are psycopg.sql.Identifier. Served by the table's
-- primary key, which leads with the session column.
SELECT count(*) AS row_count, coalesce(sum(pg_column_size(t.*)), 0)::bigint AS row_bytes
FROM {table} AS t
WHERE t.{column} = :session_id;
