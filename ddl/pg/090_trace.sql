-- name: trace#
-- Layer 090: execution traces. Partitioned by session: each session may get
-- its own UNLOGGED partition (create_session_partition), dropped in one step
-- when the session is done; sessions without one land in the DEFAULT
-- partition. Partitions are UNLOGGED: traces are diagnostic, losing them in a
-- crash is acceptable, WAL for them is not.

CREATE TABLE IF NOT EXISTS trace_log (
    session_id  uuid        NOT NULL,
    tick        integer     NOT NULL,
    seq         integer     NOT NULL,
    level       smallint    NOT NULL,
    system      text        NOT NULL,
    event       text        NOT NULL,
    node_id     text,
    data        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now()
) PARTITION BY LIST (session_id);
COMMENT ON TABLE trace_log IS 'Execution trace events, partitioned by session_id; partitions are UNLOGGED.';

CREATE UNLOGGED TABLE IF NOT EXISTS trace_log_default PARTITION OF trace_log DEFAULT;
COMMENT ON TABLE trace_log_default IS 'Traces of sessions that have no partition of their own.';

-- why: traces are read per session and tick.
CREATE INDEX IF NOT EXISTS trace_log_session_tick_idx ON trace_log (session_id, tick, seq);
COMMENT ON INDEX trace_log_session_tick_idx IS 'traces are read per session and tick.';

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
