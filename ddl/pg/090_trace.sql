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
