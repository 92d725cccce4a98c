-- name: bench_archive_relation_bytes(tables)
-- On-disk bytes of each named table (summed over its partitions): total
-- (heap, TOAST, free-space and visibility maps, indexes), table alone, and
-- indexes. In the benchmark's own database every row of these tables belongs
-- to the one session benchmarked. Catalog lookups and file sizes.
SELECT c.relname::text AS table_name,
       sum(pg_total_relation_size(p.relid))::bigint AS total_bytes,
       sum(pg_table_size(p.relid))::bigint AS table_bytes,
       sum(pg_indexes_size(p.relid))::bigint AS index_bytes
FROM pg_class AS c
CROSS JOIN LATERAL (
    SELECT t.relid FROM pg_partition_tree(c.oid) AS t
    UNION
    SELECT c.oid
) AS p
WHERE c.relname = ANY (:tables::text[])
  AND c.relnamespace = current_schema()::regnamespace
GROUP BY c.relname
ORDER BY c.relname;
