-- name: shared_tables(session_tables)
-- Tables that are not session-scoped but that a session-scoped table
-- references by foreign key (vector_collection, referenced by document_chunk
-- on (collection, dimension)): an archive keeps the referenced rows so that a
-- restore can re-create them. :session_tables is the text[] of session-scoped
-- table names (session_tables). One row per foreign key: the parent table,
-- the child table and its session column, both column lists of the key, and
-- the parent's ORDER BY list, export select list and columns JSON, built as in
-- session_tables. Identifiers are quoted with quote_ident(). Catalog lookups
-- only.
WITH scoped AS (
    SELECT c.oid AS table_oid
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()
      AND c.relname = ANY (:session_tables::text[])
),
keys AS (
    SELECT con.oid AS constraint_oid,
           con.confrelid AS parent_oid,
           con.conrelid AS child_oid,
           (SELECT string_agg(quote_ident(pa.attname), ', ' ORDER BY k.ord)
            FROM unnest(con.confkey) WITH ORDINALITY AS k (attnum, ord)
            JOIN pg_attribute AS pa ON pa.attrelid = con.confrelid AND pa.attnum = k.attnum
           ) AS parent_columns,
           (SELECT string_agg(quote_ident(ca.attname), ', ' ORDER BY k.ord)
            FROM unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
            JOIN pg_attribute AS ca ON ca.attrelid = con.conrelid AND ca.attnum = k.attnum
           ) AS child_columns
    FROM pg_constraint AS con
    WHERE con.contype = 'f'
      AND con.conparentid = 0
      AND con.conrelid IN (SELECT table_oid FROM scoped)
      AND con.confrelid NOT IN (SELECT table_oid FROM scoped)
),
columns AS (
    SELECT p.table_oid,
           a.attnum,
           a.attname,
           format_type(a.atttypid, a.atttypmod) AS pg_type,
           CASE
               WHEN ty.typname IN ('int2', 'int4', 'int8', 'float4', 'float8', 'bool',
                                   'text', 'varchar', 'bpchar', 'timestamptz', 'timestamp',
                                   'date', '_int2', '_int4', '_int8', '_float4', '_float8',
                                   '_text', '_bool')
                   THEN ty.typname::text
               WHEN ty.typname = 'vector' THEN '_float4'
               ELSE 'text'
           END AS export_type,
           CASE
               WHEN ty.typname IN ('int2', 'int4', 'int8', 'float4', 'float8', 'bool',
                                   'text', 'varchar', 'bpchar', 'timestamptz', 'timestamp',
                                   'date', '_int2', '_int4', '_int8', '_float4', '_float8',
                                   '_text', '_bool')
                   THEN quote_ident(a.attname)
               WHEN ty.typname = 'vector' THEN quote_ident(a.attname) || '::real[]'
               ELSE quote_ident(a.attname) || '::text'
           END AS expression,
           a.attgenerated <> '' AS generated
    FROM (SELECT DISTINCT parent_oid AS table_oid FROM keys) AS p
    JOIN pg_attribute AS a ON a.attrelid = p.table_oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type AS ty ON ty.oid = a.atttypid
),
ordering AS (
    SELECT DISTINCT ON (p.table_oid)
           p.table_oid,
           (SELECT string_agg(quote_ident(ka.attname), ', ' ORDER BY k.ord)
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
            JOIN pg_attribute AS ka ON ka.attrelid = p.table_oid AND ka.attnum = k.attnum
           ) AS order_by
    FROM (SELECT DISTINCT parent_oid AS table_oid FROM keys) AS p
    JOIN pg_index AS i ON i.indrelid = p.table_oid AND 0 <> ALL (i.indkey::int2[])
    ORDER BY p.table_oid, i.indisprimary DESC, i.indexrelid
)
SELECT parent.relname::text AS table_name,
       child.relname::text AS child_table,
       (SELECT sa.attname::text
        FROM pg_attribute AS sa
        WHERE sa.attrelid = k.child_oid
          AND sa.attname IN ('session_id', 'game_id')
          AND NOT sa.attisdropped
        ORDER BY sa.attname DESC
        LIMIT 1) AS child_session_column,
       k.parent_columns,
       k.child_columns,
       coalesce(o.order_by, k.parent_columns) AS order_by,
       (SELECT string_agg(col.expression, ', ' ORDER BY col.attnum)
        FROM columns AS col WHERE col.table_oid = k.parent_oid) AS select_list,
       (SELECT json_agg(json_build_object('name', col.attname, 'pg_type', col.pg_type,
                                          'export_type', col.export_type,
                                          'generated', col.generated)
                        ORDER BY col.attnum)
        FROM columns AS col WHERE col.table_oid = k.parent_oid) AS columns
FROM keys AS k
JOIN pg_class AS parent ON parent.oid = k.parent_oid
JOIN pg_class AS child ON child.oid = k.child_oid
LEFT JOIN ordering AS o ON o.table_oid = k.parent_oid
ORDER BY parent.relname, child.relname, k.constraint_oid;
