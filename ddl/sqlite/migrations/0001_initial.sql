-- name: initial#
-- Migration 0001: the SQLite runtime schema as it was when versioning began
-- (commit 9c9c175). A file made before versioning (its tables, user_version 0)
-- is taken to be at this version.
-- SQLite runtime schema (RuntimeDatabase). One file per run; session_id is the
-- run id unless the caller passes a session UUID, so several sessions can
-- share one file without colliding. Attributes are JSON text.

CREATE TABLE IF NOT EXISTS graph_snapshot (
    session_id   TEXT    NOT NULL,
    tick         INTEGER NOT NULL CHECK (tick >= 0),
    directed     INTEGER NOT NULL DEFAULT 1,
    graph_attrs  TEXT    NOT NULL DEFAULT '{}',
    node_count   INTEGER NOT NULL,
    edge_count   INTEGER NOT NULL,
    persisted_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, tick)
);

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

CREATE TABLE IF NOT EXISTS simulation_event (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    event_type TEXT,
    payload    TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, seq),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS tick_log (
    session_id       TEXT    NOT NULL,
    tick             INTEGER NOT NULL CHECK (tick >= 0),
    rng_state        TEXT,
    mutations        TEXT,
    invariant_checks TEXT,
    wall_time_ms     REAL,
    system_timings   TEXT,
    logged_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, tick)
);

CREATE TABLE IF NOT EXISTS tick_summary (
    session_id           TEXT    NOT NULL,
    tick                 INTEGER NOT NULL CHECK (tick >= 0),
    total_c              REAL    NOT NULL,
    total_v              REAL    NOT NULL,
    total_s              REAL    NOT NULL,
    avg_consciousness    REAL    NOT NULL,
    uprising_count       INTEGER NOT NULL,
    rate_of_surplus      REAL,
    rate_of_profit       REAL,
    organic_composition  REAL,
    PRIMARY KEY (session_id, tick)
);

CREATE TABLE IF NOT EXISTS metadata (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS session_metadata (
    session_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (session_id, key)
);
