-- name: simulation_state#
-- Layer 030: simulation state. Full graph snapshots per tick, the community
-- hypergraph, contradiction fields, events, replay metadata, summaries.
--
-- Free-form attributes live in JSON documents, never in typed columns: a
-- typed column would make a whole tick fail on one unexpected value. Documents
-- the toolkit hands back exactly as written (graph attributes, events, replay
-- data, community state) are `json`, which keeps the text: `jsonb` would turn
-- 1e20 into an integer and -0.0 into 0. Tables carry only their primary key
-- (leading with the session) and one foreign key; extra indexes would slow
-- every persist_tick.
--
-- node_state and edge_state are keyed by graph order: (session_id, tick,
-- generation, ord). A tick's rows are written in ord order, so the key only
-- ever grows at the right edge of the index (keyed by node id, every row
-- went to a random leaf: 29 % more time for the COPY of a 100K-node tick),
-- and a tick is read back in graph order straight from the index, without a
-- sort (which spilled to disk for 50,000 edges). Node ids and edge ends are
-- unique within a tick because a graph's are; hydrate_graph checks the rows
-- it reads against graph_snapshot.node_count and edge_count and refuses a
-- tick whose rows were edited into duplicates or gaps. A DBA looking up one
-- node of one tick reads that tick's rows (the key's prefix).
--
-- Replacing a tick deletes its rows and writes the new ones under the next
-- generation (graph_snapshot.generation, part of the node and edge primary
-- keys): inserting keys equal to rows deleted in the same transaction would
-- make every unique check visit the dead row, doubling the cost of a replace.
--
-- node_state, edge_state and simulation_event carry no per-row foreign key:
-- checking one for each of the ~60,000 rows of a tick costs about 40 % of
-- the COPY (scripts/bench_runtime.py). Their rows are written only together
-- with their graph_snapshot row, in one transaction, and the trigger
-- graph_snapshot_cascade below deletes them with it, so deleting a session
-- (game_session ON DELETE CASCADE) still removes everything.

CREATE TABLE IF NOT EXISTS graph_snapshot (
    session_id   uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer     NOT NULL,
    directed     boolean     NOT NULL DEFAULT true,
    graph_attrs  json        NOT NULL DEFAULT '{}'::json,
    node_count   integer     NOT NULL,
    edge_count   integer     NOT NULL,
    persisted_at timestamptz NOT NULL DEFAULT now(),
    generation   integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT graph_snapshot_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE graph_snapshot IS
    'Header of one persisted tick: graph.graph attributes and counts. Its presence marks the tick as persisted (even with no nodes).';
COMMENT ON COLUMN graph_snapshot.generation IS
    'How many times the tick was persisted before this snapshot (0 the first time); its node_state and edge_state rows carry the same number.';

CREATE TABLE IF NOT EXISTS node_state (
    session_id  uuid    NOT NULL,
    tick        integer NOT NULL,
    node_id     text    NOT NULL,
    ord         integer NOT NULL,
    node_ref    json,
    node_type   text,
    attributes  json    NOT NULL DEFAULT '{}'::json,
    generation  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, tick, generation, ord)
);
COMMENT ON TABLE node_state IS
    'Graph nodes of one tick, keyed and stored in graph order (ord). node_id is the id as text, unique within a tick; node_ref keeps the original id as JSON when it is not a string.';
COMMENT ON COLUMN node_state.generation IS
    'graph_snapshot.generation of the write that stored the row: a replaced tick''s new rows never meet its deleted ones in the primary key (no uniqueness checks against dead rows), and only one generation of a tick is ever visible.';
COMMENT ON COLUMN node_state.node_type IS 'Copy of the "node_type" attribute (or NULL), for DBAs; attributes holds the truth.';

CREATE TABLE IF NOT EXISTS edge_state (
    session_id  uuid    NOT NULL,
    tick        integer NOT NULL,
    source_id   text    NOT NULL,
    target_id   text    NOT NULL,
    ord         integer NOT NULL,
    source_ref  json,
    target_ref  json,
    edge_type   text,
    attributes  json    NOT NULL DEFAULT '{}'::json,
    generation  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, tick, generation, ord)
);
COMMENT ON TABLE edge_state IS
    'Graph edges of one tick, keyed and stored in graph order (ord); (source_id, target_id) is unique within a tick; attributes as json.';
COMMENT ON COLUMN edge_state.generation IS 'graph_snapshot.generation of the write that stored the row (see node_state.generation).';

CREATE TABLE IF NOT EXISTS graph_metadata (
    session_id     uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick           integer NOT NULL,
    economy        json    NOT NULL DEFAULT '{}'::json,
    state_finances json    NOT NULL DEFAULT '{}'::json,
    tick_dynamics  json    NOT NULL DEFAULT '{}'::json,
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT graph_metadata_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE graph_metadata IS 'Graph-level economy, state finances and tick dynamics per tick.';

CREATE TABLE IF NOT EXISTS community_state (
    session_id   uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer NOT NULL,
    community_id text    NOT NULL,
    state        json    NOT NULL DEFAULT '{}'::json,
    PRIMARY KEY (session_id, tick, community_id),
    -- why: ticks are never negative.
    CONSTRAINT community_state_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE community_state IS 'Hypergraph communities of one tick, their state as json.';

CREATE TABLE IF NOT EXISTS community_membership (
    session_id   uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer NOT NULL,
    community_id text    NOT NULL,
    member_id    text    NOT NULL,
    attributes   json    NOT NULL DEFAULT '{}'::json,
    PRIMARY KEY (session_id, tick, community_id, member_id),
    -- why: ticks are never negative.
    CONSTRAINT community_membership_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE community_membership IS 'Hyperedge memberships: which member belongs to which community at a tick.';

CREATE TABLE IF NOT EXISTS contradiction_field (
    session_id  uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer NOT NULL,
    node_id     text    NOT NULL DEFAULT '',
    field_name  text    NOT NULL,
    ord         integer NOT NULL,
    field       json    NOT NULL,
    PRIMARY KEY (session_id, tick, node_id, field_name),
    -- why: ticks are never negative.
    CONSTRAINT contradiction_field_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE contradiction_field IS
    'Feature 002 contradiction field values per tick and node: field holds the whole row (value, laplacian, dt, d2t, ...); node_id is empty for a graph-level field.';

CREATE TABLE IF NOT EXISTS edge_curvature (
    session_id  uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer NOT NULL,
    source_id   text    NOT NULL,
    target_id   text    NOT NULL,
    ord         integer NOT NULL,
    curvature   json    NOT NULL,
    PRIMARY KEY (session_id, tick, source_id, target_id),
    -- why: ticks are never negative.
    CONSTRAINT edge_curvature_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE edge_curvature IS
    'Feature 002 edge curvatures per tick: curvature holds the whole row (source_id, target_id, curvature, gradient, ...).';

CREATE TABLE IF NOT EXISTS simulation_event (
    session_id  uuid    NOT NULL,
    tick        integer NOT NULL,
    seq         integer NOT NULL,
    event_type  text,
    payload     json    NOT NULL,
    PRIMARY KEY (session_id, tick, seq)
);
COMMENT ON TABLE simulation_event IS
    'Events passed to persist_tick, in order (seq). Replaced with the tick, so re-persisting never duplicates them.';

-- Deleting graph_snapshot rows (directly, or through a session's ON DELETE
-- CASCADE) deletes their nodes, edges and events: one statement per table
-- for the whole set of deleted ticks, through a transition table.
CREATE OR REPLACE FUNCTION graph_snapshot_cascade() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM node_state AS n USING gone AS g WHERE n.session_id = g.session_id AND n.tick = g.tick;
    DELETE FROM edge_state AS e USING gone AS g WHERE e.session_id = g.session_id AND e.tick = g.tick;
    DELETE FROM simulation_event AS v USING gone AS g
    WHERE v.session_id = g.session_id AND v.tick = g.tick;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION graph_snapshot_cascade() IS
    'Deletes the nodes, edges and events of deleted graph_snapshot rows (they have no per-row foreign key).';

CREATE OR REPLACE TRIGGER graph_snapshot_cascade
    AFTER DELETE ON graph_snapshot
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION graph_snapshot_cascade();
COMMENT ON TRIGGER graph_snapshot_cascade ON graph_snapshot IS
    'Deletes the nodes, edges and events of the deleted ticks (graph_snapshot_cascade()).';

CREATE TABLE IF NOT EXISTS tick_log (
    session_id       uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick             integer          NOT NULL,
    rng_state        json,
    mutations        json,
    invariant_checks json,
    wall_time_ms     double precision,
    system_timings   json,
    logged_at        timestamptz      NOT NULL DEFAULT now(),
    rng_state_bytes  bytea,
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT tick_log_tick_check CHECK (tick >= 0),
    -- why: one RNG state per tick, either a JSON document or serialised bytes.
    CONSTRAINT tick_log_one_rng_state CHECK (rng_state IS NULL OR rng_state_bytes IS NULL)
);
COMMENT ON TABLE tick_log IS 'Replay metadata per tick: RNG state, mutations, invariant checks, timings.';
COMMENT ON COLUMN tick_log.rng_state_bytes IS 'An RNG state given as bytes (e.g. a pickled random.getstate()), returned as the same bytes.';

CREATE TABLE IF NOT EXISTS tick_summary (
    session_id  uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer     NOT NULL,
    summary     json        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT tick_summary_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE tick_summary IS 'Pre-aggregated tick summary for time-series endpoints.';

CREATE OR REPLACE VIEW v_session_summary AS
SELECT
    s.session_id,
    s.name,
    s.status,
    s.created_at,
    s.updated_at,
    s.ended_at,
    s.end_tick,
    g.ticks_persisted,
    g.last_tick
FROM game_session AS s
CROSS JOIN LATERAL (
    -- one range scan of graph_snapshot's primary key (session_id, tick)
    SELECT
        count(*) AS ticks_persisted,
        max(x.tick) AS last_tick
    FROM graph_snapshot AS x
    WHERE x.session_id = s.session_id
) AS g;
COMMENT ON VIEW v_session_summary IS
    'One row per session: its status, times and how many ticks are persisted (and the last one). What a frontend lists; the read-only role reads it.';
