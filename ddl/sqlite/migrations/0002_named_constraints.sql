-- name: named_constraints#
-- Migration 0002: the CHECK constraints of graph_snapshot, tick_log and
-- tick_summary become named constraints with a "-- why:" line, like
-- PostgreSQL's. SQLite cannot alter a constraint: each table is rebuilt by
-- SQLite's documented procedure (new table, copy every row, drop the old one,
-- rename), with foreign keys off; the migration runner checks them before
-- the commit.

CREATE TABLE graph_snapshot_new (
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
INSERT INTO graph_snapshot_new (session_id, tick, directed, graph_attrs, node_count, edge_count, persisted_at)
SELECT session_id, tick, directed, graph_attrs, node_count, edge_count, persisted_at
FROM graph_snapshot;
DROP TABLE graph_snapshot;
ALTER TABLE graph_snapshot_new RENAME TO graph_snapshot;

CREATE TABLE tick_log_new (
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
INSERT INTO tick_log_new (session_id, tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings, logged_at)
SELECT session_id, tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings, logged_at
FROM tick_log;
DROP TABLE tick_log;
ALTER TABLE tick_log_new RENAME TO tick_log;

CREATE TABLE tick_summary_new (
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
INSERT INTO tick_summary_new (session_id, tick, total_c, total_v, total_s, avg_consciousness, uprising_count, rate_of_surplus, rate_of_profit, organic_composition)
SELECT session_id, tick, total_c, total_v, total_s, avg_consciousness, uprising_count, rate_of_surplus, rate_of_profit, organic_composition
FROM tick_summary;
DROP TABLE tick_summary;
ALTER TABLE tick_summary_new RENAME TO tick_summary;
