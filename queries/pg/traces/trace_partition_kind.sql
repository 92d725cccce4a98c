-- name: trace_partition_kind(partition_name)$
-- What the relation named :partition_name is: 'partition' when it is a
-- partition of trace_log, 'other' when it is some other relation, NULL when
-- nothing has that name. Catalog lookups by name and oid.
SELECT CASE
           WHEN c.relispartition AND i.inhparent = 'trace_log'::regclass THEN 'partition'
           ELSE 'other'
       END
FROM pg_class AS c
LEFT JOIN pg_inherits AS i ON i.inhrelid = c.oid
WHERE c.oid = to_regclass(:partition_name);
