-- name: schema_objects()
-- Tables, views, indexes, functions and triggers of the public schema (not
-- those of extensions), with their comments (an index's is its "-- why:"
-- line); what `babylon-sql schema objects` and the demo print. A function is
-- named with its argument types, a trigger as <table>.<trigger>.
SELECT
    c.relname AS name,
    CASE c.relkind
        WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
        WHEN 'i' THEN 'index' WHEN 'I' THEN 'partitioned index' ELSE c.relkind::text
    END AS kind,
    obj_description(c.oid, 'pg_class') AS comment
FROM pg_class AS c
INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE
    n.nspname = 'public'
    AND c.relkind IN ('r', 'p', 'v', 'i', 'I')
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend AS d
        WHERE d.objid = c.oid AND d.deptype = 'e'
    )
UNION ALL
SELECT
    p.oid::regprocedure::text AS name,
    CASE WHEN p.prosecdef THEN 'function (definer)' ELSE 'function' END AS kind,
    obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc AS p
INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE
    n.nspname = 'public'
    AND NOT EXISTS (
        SELECT 1 FROM pg_depend AS d
        WHERE d.objid = p.oid AND d.deptype = 'e'
    )
UNION ALL
SELECT
    c.relname || '.' || t.tgname AS name,
    'trigger' AS kind,
    obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger AS t
INNER JOIN pg_class AS c ON c.oid = t.tgrelid
INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT t.tgisinternal
ORDER BY kind, name;
