-- name: drop_hnsw_index#
-- Drop one dimension's HNSW index, before a bulk load that rebuilds it after
-- (building once is faster than inserting row by row into the graph).
-- {index} is a psycopg.sql.Identifier.
DROP INDEX IF EXISTS {index};
