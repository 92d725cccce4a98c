-- name: export_session_rows(session_id)
-- The rows of one session-scoped table, in key order, read through a
-- server-side cursor. {columns} and {order_by} are lists built by
-- session_tables with quote_ident(), {table} and {column} are
-- psycopg.sql.Identifier. Served by the table's primary key (which leads with
-- the session column) or by trace_log_session_tick_idx.
SELECT {columns}
FROM {table}
WHERE {column} = :session_id
ORDER BY {order_by};
