-- name: runtime#
-- SQLite runtime schema (RuntimeDatabase). One file per run; session_id is the
-- run id unless the caller passes a session UUID, so several sessions can
-- share one file without colliding. Attributes are JSON text.
--
-- The same discipline as ddl/pg: every CHECK is a named constraint with a
-- "-- why:" line; SQLite has no COMMENT ON, so a "-- table:" line above each
-- table says what it holds. Changing this file needs a migration in
-- ddl/sqlite/migrations/ too (tests/test_migrations.py compares both).

-- table: Header of one persisted tick: graph.graph attributes and counts; its presence marks the tick as persisted.
CREATE TABLE IF NOT EXISTS graph_snapshot (
    session_id   TEXT    NOT NULL,
    tick         INTEGER NOT NULL,
    directed     INTEGER NOT NULL DEFAULT 1,
    graph_attrs  TEXT    NOT NULL DEFAULT '{}',
    node_count   INTEGER NOT NULL,
    edge_count   INTEGER NOT NULL,
    persisted_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT graph_snapshot_tick_check CHECK (tick >= 0)
);

-- table: Graph nodes of one tick in graph order (ord); deleted with their graph_snapshot row.
CREATE TABLE IF NOT EXISTS node_state (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    node_id    TEXT    NOT NULL,
    ord        INTEGER NOT NULL,
    node_ref   TEXT,
    node_type  TEXT,
    attributes TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, tick, node_id),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
) WITHOUT ROWID;

-- table: Graph edges of one tick, keyed by their ends; deleted with their graph_snapshot row.
CREATE TABLE IF NOT EXISTS edge_state (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    source_id  TEXT    NOT NULL,
    target_id  TEXT    NOT NULL,
    ord        INTEGER NOT NULL,
    source_ref TEXT,
    target_ref TEXT,
    edge_type  TEXT,
    attributes TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, tick, source_id, target_id),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
) WITHOUT ROWID;

-- table: Events passed to persist_tick, in order (seq); replaced with the tick.
CREATE TABLE IF NOT EXISTS simulation_event (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    event_type TEXT,
    payload    TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, seq),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

-- table: Replay metadata per tick: RNG state, mutations, invariant checks, timings.
CREATE TABLE IF NOT EXISTS tick_log (
    session_id       TEXT    NOT NULL,
    tick             INTEGER NOT NULL,
    rng_state        TEXT,
    mutations        TEXT,
    invariant_checks TEXT,
    wall_time_ms     REAL,
    system_timings   TEXT,
    logged_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT tick_log_tick_check CHECK (tick >= 0)
);

-- table: Pre-aggregated tick summary (totals and rates) per tick.
CREATE TABLE IF NOT EXISTS tick_summary (
    session_id           TEXT    NOT NULL,
    tick                 INTEGER NOT NULL,
    total_c              REAL    NOT NULL,
    total_v              REAL    NOT NULL,
    total_s              REAL    NOT NULL,
    avg_consciousness    REAL    NOT NULL,
    uprising_count       INTEGER NOT NULL,
    rate_of_surplus      REAL,
    rate_of_profit       REAL,
    organic_composition  REAL,
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT tick_summary_tick_check CHECK (tick >= 0)
);

-- table: Key/value metadata of the file itself (set_metadata without a session).
CREATE TABLE IF NOT EXISTS metadata (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- table: Key/value metadata of one session.
CREATE TABLE IF NOT EXISTS session_metadata (
    session_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, key)
);
