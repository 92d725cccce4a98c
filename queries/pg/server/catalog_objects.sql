-- name: catalog_objects()
-- Every object of the public schema that `babylon-sql schema check` compares,
-- as (kind, name, definition): tables (kind, persistence, options, partition
-- key and bound), columns (type, NOT NULL, default, identity, generated),
-- indexes, constraints, views, functions (their whole definition), triggers
-- and comments. Objects of extensions are left out. Catalog scans only.
WITH rel AS (
    SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions, c.relispartition
    FROM pg_class AS c
    INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE
        n.nspname = 'public'
        AND NOT EXISTS (
            SELECT 1 FROM pg_depend AS d
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
        )
),

fn AS (
    SELECT p.oid
    FROM pg_proc AS p
    INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE
        n.nspname = 'public'
        AND NOT EXISTS (
            SELECT 1 FROM pg_depend AS d
            WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        )
)

SELECT
    'table' AS kind,
    r.relname::text AS name,
    concat_ws(
        ' ',
        CASE r.relkind WHEN 'p' THEN 'partitioned' ELSE 'heap' END,
        CASE r.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'logged' END,
        r.reloptions::text,
        CASE WHEN r.relkind = 'p' THEN 'partition by ' || pg_get_partkeydef(r.oid) END,
        CASE WHEN r.relispartition THEN 'partition ' || pg_get_expr(pc.relpartbound, r.oid) END
    ) AS definition
FROM rel AS r
INNER JOIN pg_class AS pc ON pc.oid = r.oid
WHERE r.relkind IN ('r', 'p')
UNION ALL
SELECT
    'column' AS kind,
    r.relname || '.' || a.attname AS name,
    concat_ws(
        ' ',
        format_type(a.atttypid, a.atttypmod),
        CASE WHEN a.attnotnull THEN 'not null' END,
        'default ' || pg_get_expr(ad.adbin, ad.adrelid),
        CASE WHEN a.attidentity <> '' THEN 'identity ' || a.attidentity::text END,
        CASE WHEN a.attgenerated <> '' THEN 'generated' END
    ) AS definition
FROM rel AS r
INNER JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE r.relkind IN ('r', 'p')
UNION ALL
SELECT
    'index' AS kind,
    r.relname::text AS name,
    pg_get_indexdef(r.oid) AS definition
FROM rel AS r
WHERE r.relkind IN ('i', 'I')
UNION ALL
SELECT
    'constraint' AS kind,
    r.relname || '.' || con.conname AS name,
    pg_get_constraintdef(con.oid) AS definition
FROM rel AS r
INNER JOIN pg_constraint AS con ON con.conrelid = r.oid
UNION ALL
SELECT
    'view' AS kind,
    r.relname::text AS name,
    pg_get_viewdef(r.oid, true) AS definition
FROM rel AS r
WHERE r.relkind IN ('v', 'm')
UNION ALL
SELECT
    'function' AS kind,
    f.oid::regprocedure::text AS name,
    pg_get_functiondef(f.oid) AS definition
FROM fn AS f
UNION ALL
SELECT
    'trigger' AS kind,
    r.relname || '.' || t.tgname AS name,
    pg_get_triggerdef(t.oid) AS definition
FROM rel AS r
INNER JOIN pg_trigger AS t ON t.tgrelid = r.oid AND NOT t.tgisinternal
UNION ALL
SELECT
    'comment' AS kind,
    CASE WHEN d.objsubid = 0 THEN r.relname::text ELSE r.relname || '.' || a.attname END AS name,
    d.description AS definition
FROM rel AS r
INNER JOIN pg_description AS d
    ON d.objoid = r.oid AND d.classoid = 'pg_class'::regclass
LEFT JOIN pg_attribute AS a ON a.attrelid = r.oid AND a.attnum = d.objsubid AND d.objsubid > 0
UNION ALL
SELECT
    'comment' AS kind,
    f.oid::regprocedure::text AS name,
    obj_description(f.oid, 'pg_proc') AS definition
FROM fn AS f
WHERE obj_description(f.oid, 'pg_proc') IS NOT NULL
ORDER BY kind, name;
