-- name: session_tables()
-- Every table holding rows of a session, derived from the catalog: game_session
-- itself (depth 0), every table whose foreign key leads to
-- game_session.session_id, directly (session_id / game_id columns, depth 1)
-- or through another session-scoped table (via graph_snapshot, for instance;
-- depth 2), plus the tables keyed by a session without a foreign key
-- (trace_log, whose partitions are reached through it; node_state,
-- edge_state, simulation_event). Per table: the column holding the
-- session id, the ORDER BY list (primary key, else the first index, else the
-- session column) and the export select list, one expression per column:
-- kept as is when Parquet has a matching type, vector as real[], everything
-- else (uuid, jsonb, json, numeric, geometry, ...) as text. Identifiers are
-- quoted with quote_ident(). columns is a JSON array of {name, pg_type,
-- export_type, generated} (a generated column is exported, never restored).
-- Catalog lookups only.
WITH RECURSIVE scoped (table_oid, column_num, depth) AS (
    SELECT a.attrelid, a.attnum, 0
    FROM pg_attribute AS a
    WHERE a.attrelid = 'game_session'::regclass AND a.attname = 'session_id'
    UNION
    SELECT con.conrelid, con.conkey[array_position(con.confkey, s.column_num)], s.depth + 1
    FROM scoped AS s
    JOIN pg_constraint AS con
        ON con.contype = 'f'
       AND con.confrelid = s.table_oid
       AND s.column_num = ANY (con.confkey)
       AND con.conparentid = 0
    JOIN pg_class AS child ON child.oid = con.conrelid AND NOT child.relispartition
    WHERE s.depth < 8
),
tables AS (
    SELECT table_oid, min(column_num) AS column_num, max(depth) AS depth
    FROM scoped
    GROUP BY table_oid
    UNION ALL
    -- Tables keyed by a session without a foreign key (trace_log, which is
    -- partitioned; node_state, edge_state and simulation_event, which
    -- graph_snapshot's trigger cascades): every other table of the schema
    -- with a uuid session_id / game_id column. Depth 2: purged before the
    -- tables that head them.
    SELECT c.oid, a.attnum, 2
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    JOIN pg_attribute AS a
        ON a.attrelid = c.oid AND a.attname IN ('session_id', 'game_id') AND NOT a.attisdropped
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND a.atttypid = 'uuid'::regtype
      AND c.oid NOT IN (SELECT table_oid FROM scoped)
),
columns AS (
    SELECT t.table_oid,
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
    FROM tables AS t
    JOIN pg_attribute AS a ON a.attrelid = t.table_oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type AS ty ON ty.oid = a.atttypid
),
ordering AS (
    SELECT DISTINCT ON (t.table_oid)
           t.table_oid,
           (SELECT string_agg(quote_ident(ka.attname), ', ' ORDER BY k.ord)
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
            JOIN pg_attribute AS ka ON ka.attrelid = t.table_oid AND ka.attnum = k.attnum
           ) AS order_by
    FROM tables AS t
    JOIN pg_index AS i ON i.indrelid = t.table_oid AND 0 <> ALL (i.indkey::int2[])
    ORDER BY t.table_oid, i.indisprimary DESC, i.indexrelid
)
SELECT c.relname::text AS table_name,
       sa.attname::text AS session_column,
       t.depth,
       coalesce(o.order_by, quote_ident(sa.attname)) AS order_by,
       (SELECT string_agg(col.expression, ', ' ORDER BY col.attnum)
        FROM columns AS col WHERE col.table_oid = t.table_oid) AS select_list,
       (SELECT json_agg(json_build_object('name', col.attname, 'pg_type', col.pg_type,
                                          'export_type', col.export_type,
                                          'generated', col.generated)
                        ORDER BY col.attnum)
        FROM columns AS col WHERE col.table_oid = t.table_oid) AS columns
FROM tables AS t
JOIN pg_class AS c ON c.oid = t.table_oid
JOIN pg_attribute AS sa ON sa.attrelid = t.table_oid AND sa.attnum = t.column_num
LEFT JOIN ordering AS o ON o.table_oid = t.table_oid
ORDER BY t.depth, c.relname;
