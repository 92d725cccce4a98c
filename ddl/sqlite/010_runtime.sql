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

-- table: Graph nodes of one tick in chunks of up to 1,000, in graph order: nodes is one JSON array of [id, attributes] pairs (an int id as a JSON number); read them row by row in the node_state view.
CREATE TABLE IF NOT EXISTS node_chunk (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    first_ord  INTEGER NOT NULL,
    nodes      TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, first_ord),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

-- table: Graph edges of one tick in chunks of up to 1,000, in graph order: edges is one JSON array of [source, target, attributes] triples; read them row by row in the edge_state view.
CREATE TABLE IF NOT EXISTS edge_chunk (
    session_id TEXT    NOT NULL,
    tick       INTEGER NOT NULL,
    first_ord  INTEGER NOT NULL,
    edges      TEXT    NOT NULL,
    PRIMARY KEY (session_id, tick, first_ord),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
);

-- view: One row per node, as node_state was stored before schema version 3:
-- node_id as text, node_ref the JSON of an int id, node_type the "node_type"
-- attribute when it is text, attributes the node's JSON document.
CREATE VIEW IF NOT EXISTS node_state AS
SELECT
    c.session_id,
    c.tick,
    CAST(json_extract(j.value, '$[0]') AS TEXT) AS node_id,
    c.first_ord + j.key AS ord,
    CASE json_type(j.value, '$[0]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[0]') AS TEXT)
    END AS node_ref,
    CASE json_type(j.value, '$[1].node_type')
        WHEN 'text' THEN json_extract(j.value, '$[1].node_type')
    END AS node_type,
    json_extract(j.value, '$[1]') AS attributes
FROM node_chunk AS c, json_each(c.nodes) AS j;

-- view: One row per edge, as edge_state was stored before schema version 3
-- (source_ref and target_ref: the JSON of an int id; edge_type: the
-- "edge_type" attribute when it is text).
CREATE VIEW IF NOT EXISTS edge_state AS
SELECT
    c.session_id,
    c.tick,
    CAST(json_extract(j.value, '$[0]') AS TEXT) AS source_id,
    CAST(json_extract(j.value, '$[1]') AS TEXT) AS target_id,
    c.first_ord + j.key AS ord,
    CASE json_type(j.value, '$[0]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[0]') AS TEXT)
    END AS source_ref,
    CASE json_type(j.value, '$[1]')
        WHEN 'integer' THEN CAST(json_extract(j.value, '$[1]') AS TEXT)
    END AS target_ref,
    CASE json_type(j.value, '$[2].edge_type')
        WHEN 'text' THEN json_extract(j.value, '$[2].edge_type')
    END AS edge_type,
    json_extract(j.value, '$[2]') AS attributes
FROM edge_chunk AS c, json_each(c.edges) AS j;

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
