-- name: schema_objects()
-- Tables, views and indexes of the public schema, with their comments; what
-- `babylon-sql schema show --summary` and the demo print.
SELECT c.relname AS name,
       CASE c.relkind
           WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
           WHEN 'i' THEN 'index' WHEN 'I' THEN 'partitioned index' ELSE c.relkind::text
       END AS kind,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
  AND c.relkind IN ('r', 'p', 'v', 'i', 'I')
  AND NOT EXISTS (
      SELECT 1 FROM pg_depend AS d
      WHERE d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY kind, name;
