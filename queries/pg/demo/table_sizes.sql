-- name: table_sizes(names)
-- Size on disk of some tables (heap, TOAST and indexes; every session's rows)
-- and the planner's row estimate. A partitioned table (trace_log) sums its
-- partitions. Catalog lookups only.
SELECT
    c.relname AS table_name,
    CASE
        WHEN c.relkind = 'p' THEN (
            SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)
            FROM pg_inherits AS i
            WHERE i.inhparent = c.oid
        )
        ELSE pg_total_relation_size(c.oid)
    END::bigint AS total_bytes,
    greatest(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class AS c
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relname = ANY(:names)
ORDER BY c.relname;
