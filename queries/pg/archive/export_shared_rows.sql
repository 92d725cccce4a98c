-- name: export_shared_rows(session_id)
-- The rows of a shared table (vector_collection) that one session's rows of
-- a child table reference through a foreign key. {table} is the parent,
-- {child} the child table and {column} its session column
-- (psycopg.sql.Identifier); {columns}, {order_by}, {parent_columns} and
-- {child_columns} are lists built by shared_tables with quote_ident().
-- Served by the parent's primary key and the child's session index
-- (document_chunk_session_idx).
SELECT {columns}
FROM {table}
WHERE ({parent_columns}) IN (
    SELECT {child_columns}
    FROM {child}
    WHERE {column} = :session_id
)
ORDER BY {order_by};
