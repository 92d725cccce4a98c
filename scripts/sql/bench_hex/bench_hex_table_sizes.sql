-- name: bench_hex_table_sizes(tables)
-- Size of each named table: heap (main fork), its indexes, its TOAST table
-- (with the TOAST index), and the total, in bytes. Tables that do not exist
-- are left out.
SELECT
    c.relname AS name,
    c.reltuples::bigint AS est_rows,
    pg_relation_size(c.oid) AS heap,
    pg_indexes_size(c.oid) AS indexes,
    coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS toast,
    pg_total_relation_size(c.oid) AS total
FROM pg_class AS c
WHERE c.relname = ANY(CAST(:tables AS text[])) AND c.relkind = 'r'
    AND c.relnamespace = CAST('public' AS regnamespace)
ORDER BY c.relname;
