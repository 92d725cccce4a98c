-- name: insert_shared_rows()!
-- Restore: add the archived rows of a shared table (vector_collection) that
-- the database lacks; rows it has are kept as they are (a conflicting
-- dimension then fails the foreign key of the restored document_chunk rows).
-- {table} and {staging} are psycopg.sql.Identifier, {columns} a list of them.
-- Served by the table's primary key (the conflict check).
INSERT INTO {table} ({columns})
SELECT {columns}
FROM {staging}
ON CONFLICT DO NOTHING;
