-- name: runtime_ddl_functions#
-- Migration 0003: what needs DDL at run time (ANALYZE after bulk loads, a
-- session's trace partition, a new dimension's HNSW index) goes through
-- SECURITY DEFINER functions owned by the schema owner, so the writer role
-- needs DML only.

-- ANALYZE after bulk loads: only a table's owner may analyze it, so the
-- writer role (DML only) calls this function, which runs as its owner.
CREATE OR REPLACE FUNCTION babylon_analyze(VARIADIC tables regclass[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    t regclass;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ANALYZE %s', t);
    END LOOP;
END
$$;
COMMENT ON FUNCTION babylon_analyze(regclass[]) IS
    'ANALYZE the given tables as the schema owner (SECURITY DEFINER): the writer role refreshes statistics after bulk loads without owning the tables.';
REVOKE ALL ON FUNCTION babylon_analyze(regclass[]) FROM public;

-- Partition changes need the owner of trace_log: the writer role calls
-- these two SECURITY DEFINER functions (owned by the schema owner, fixed
-- search_path) instead of running the DDL itself.
CREATE OR REPLACE FUNCTION babylon_create_trace_partition(p_session_id uuid) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    part text := 'trace_log_s_' || replace(p_session_id::text, '-', '');
    kind text;
BEGIN
    -- the parent in SHARE UPDATE EXCLUSIVE mode (what ATTACH takes; writers
    -- keep writing), the default partition in ACCESS EXCLUSIVE mode (what
    -- ATTACH takes on it), both up front so callers never upgrade locks.
    LOCK TABLE ONLY trace_log IN SHARE UPDATE EXCLUSIVE MODE;
    LOCK TABLE ONLY trace_log_default IN ACCESS EXCLUSIVE MODE;
    SELECT CASE
               WHEN c.relispartition AND i.inhparent = 'trace_log'::regclass THEN 'exists'
               ELSE 'other'
           END
    INTO kind
    FROM pg_class AS c
    LEFT JOIN pg_inherits AS i ON i.inhrelid = c.oid
    WHERE c.oid = to_regclass(part);
    IF kind IS NOT NULL THEN
        RETURN kind;
    END IF;
    EXECUTE format(
        'CREATE UNLOGGED TABLE %I (LIKE trace_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part
    );
    -- PostgreSQL refuses to attach a partition whose rows the default still holds.
    EXECUTE format(
        'WITH moved AS (DELETE FROM trace_log_default WHERE session_id = $1 '
        'RETURNING session_id, tick, seq, level, system, event, node_id, data, recorded_at) '
        'INSERT INTO %I (session_id, tick, seq, level, system, event, node_id, data, recorded_at) '
        'SELECT session_id, tick, seq, level, system, event, node_id, data, recorded_at FROM moved',
        part
    ) USING p_session_id;
    EXECUTE format(
        'ALTER TABLE trace_log ATTACH PARTITION %I FOR VALUES IN (%L)', part, p_session_id
    );
    RETURN 'created';
END
$$;
COMMENT ON FUNCTION babylon_create_trace_partition(uuid) IS
    'Give a session its own UNLOGGED trace_log partition (trace_log_s_<32 hex digits>), moving its rows out of the default partition. Returns created, exists, or other (a relation of that name that is not a partition of trace_log; nothing done). SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_create_trace_partition(uuid) FROM public;

CREATE OR REPLACE FUNCTION babylon_drop_trace_partition(p_session_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    part text := 'trace_log_s_' || replace(p_session_id::text, '-', '');
BEGIN
    IF EXISTS (
        SELECT 1
        FROM pg_class AS c
        INNER JOIN pg_inherits AS i ON i.inhrelid = c.oid
        WHERE c.oid = to_regclass(part) AND c.relispartition AND i.inhparent = 'trace_log'::regclass
    ) THEN
        EXECUTE format('DROP TABLE %I', part);
        RETURN true;
    END IF;
    RETURN false;
END
$$;
COMMENT ON FUNCTION babylon_drop_trace_partition(uuid) IS
    'Drop a session''s trace_log partition with its rows, if it has one (a relation of that name that is not a partition of trace_log is left alone). Returns whether one was dropped. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_drop_trace_partition(uuid) FROM public;

-- requires: vector
-- A new dimension's HNSW index needs the owner of document_chunk: the writer
-- role calls these SECURITY DEFINER functions (owned by the schema owner,
-- fixed search_path). The index is named document_chunk_hnsw_<N>.
CREATE OR REPLACE FUNCTION babylon_create_hnsw_index(p_dimension integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF p_dimension IS NULL OR p_dimension NOT BETWEEN 1 AND 2000 THEN
        RAISE EXCEPTION 'HNSW index dimension must be 1 to 2000, got %', p_dimension
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(idx) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE INDEX %I ON document_chunk USING hnsw ((embedding::vector(%s)) vector_cosine_ops) '
        'WHERE dimension = %s',
        idx, p_dimension, p_dimension
    );
    EXECUTE format(
        'COMMENT ON INDEX %I IS %L', idx,
        format('cosine nearest-neighbour search (<=>) for %s-dimension embeddings.', p_dimension)
    );
    RETURN true;
END
$$;
COMMENT ON FUNCTION babylon_create_hnsw_index(integer) IS
    'Create the partial HNSW cosine index document_chunk_hnsw_<N> of one dimension if it is missing; true if created. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_create_hnsw_index(integer) FROM public;

CREATE OR REPLACE FUNCTION babylon_drop_hnsw_index(p_dimension integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF to_regclass(idx) IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP INDEX %I', idx);
    RETURN true;
END
$$;
COMMENT ON FUNCTION babylon_drop_hnsw_index(integer) IS
    'Drop the HNSW index of one dimension (before a bulk load; rebuild it with babylon_create_hnsw_index); true if it existed. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_drop_hnsw_index(integer) FROM public;
