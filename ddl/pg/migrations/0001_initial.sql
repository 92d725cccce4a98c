-- name: initial#
-- Migration 0001: the schema as it was when versioning began (commit
-- 9c9c175), plus the version table. A database created before versioning
-- (it has game_session but no babylon_schema_version) is taken to be at this
-- version and stamped so, then migrated.
--
-- Sections: what comes before the first "-- requires:" line needs no
-- extension; each "-- requires: <ext>" section runs only where that
-- extension is present (see babylon_sql/server/migrations.py).

CREATE TABLE IF NOT EXISTS babylon_schema_version (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    how        text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    -- why: each row says how the database reached that version.
    CONSTRAINT babylon_schema_version_how_check CHECK (how IN ('fresh', 'baseline', 'migrated'))
);
COMMENT ON TABLE babylon_schema_version IS
    'One row per schema migration this database has (ddl/pg/migrations/NNNN_name.sql): applied, stamped by a fresh install, or stamped as the baseline of a database older than versioning.';

-- from 010_extensions.sql
-- Layer 010: extensions every server has.
--
-- uuid-ossp is created where the server ships it (Debian PostgreSQL does, the
-- embedded PostgreSQL 18 does not). Nothing in the schema depends on it:
-- gen_random_uuid() is core since PostgreSQL 13. PostGIS and pgvector are
-- created by the layers that need them (041_spatial_postgis, 100_semantic), so
-- a server without them can still take everything else.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'uuid-ossp') THEN
        CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
    END IF;
END
$$;

-- from 020_game.sql
-- Layer 020: game management. Sessions, player turns, OODA action outcomes.

CREATE TABLE IF NOT EXISTS game_session (
    session_id  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text,
    status      text        NOT NULL DEFAULT 'created',
    config      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    end_tick    integer,
    -- why: a typo in a status must fail loudly, not create a new state.
    CONSTRAINT game_session_status_check
        CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'aborted')),
    -- why: ticks are never negative.
    CONSTRAINT game_session_end_tick_check CHECK (end_tick IS NULL OR end_tick >= 0)
);
COMMENT ON TABLE game_session IS
    'One simulation run. Every session-scoped table references it and is purged with it (ON DELETE CASCADE).';

-- why: list_sessions() filters by status and shows the newest first.
CREATE INDEX IF NOT EXISTS game_session_status_created_idx
    ON game_session (status, created_at DESC);

CREATE TABLE IF NOT EXISTS session_metadata (
    session_id  uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    key         text        NOT NULL,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, key)
);
COMMENT ON TABLE session_metadata IS
    'Key/value metadata of one session (config, end_tick, status). Keyed by session: two sessions never share a row.';

CREATE TABLE IF NOT EXISTS runtime_metadata (
    key         text        PRIMARY KEY,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE runtime_metadata IS
    'Key/value metadata of the database itself, written by set_metadata() without a session; no sentinel session rows.';

CREATE TABLE IF NOT EXISTS game_turn (
    session_id   uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    turn_number  integer     NOT NULL,
    player_id    text        NOT NULL,
    tick         integer     NOT NULL,
    actions      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, turn_number, player_id),
    -- why: turns and ticks count up from zero.
    CONSTRAINT game_turn_numbers_check CHECK (turn_number >= 0 AND tick >= 0)
);
COMMENT ON TABLE game_turn IS 'Player turns: which actions each player submitted at which tick.';

CREATE TABLE IF NOT EXISTS action_result (
    session_id   uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer NOT NULL,
    action_id    text    NOT NULL,
    actor_id     text,
    action_type  text,
    success      boolean,
    outcome      jsonb   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (session_id, tick, action_id),
    -- why: ticks are never negative.
    CONSTRAINT action_result_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE action_result IS
    'OODA action resolution outcomes (Feature 032), one row per action and tick; the whole result dict is in outcome.';

-- from 030_simulation_state.sql
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
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT graph_snapshot_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE graph_snapshot IS
    'Header of one persisted tick: graph.graph attributes and counts. Its presence marks the tick as persisted (even with no nodes).';

CREATE TABLE IF NOT EXISTS node_state (
    session_id  uuid    NOT NULL,
    tick        integer NOT NULL,
    node_id     text    NOT NULL,
    ord         integer NOT NULL,
    node_ref    json,
    node_type   text,
    attributes  json    NOT NULL DEFAULT '{}'::json,
    PRIMARY KEY (session_id, tick, node_id)
);
COMMENT ON TABLE node_state IS
    'Graph nodes of one tick, in graph order (ord). node_id is the id as text; node_ref keeps the original id as JSON when it is not a string.';
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
    PRIMARY KEY (session_id, tick, source_id, target_id)
);
COMMENT ON TABLE edge_state IS 'Graph edges of one tick, keyed by their ends; attributes as json.';

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
    field_key   text    NOT NULL,
    value       json    NOT NULL,
    PRIMARY KEY (session_id, tick, field_key),
    -- why: ticks are never negative.
    CONSTRAINT contradiction_field_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE contradiction_field IS 'Feature 002 contradiction field values per tick (value as JSON: a number or a document).';

CREATE TABLE IF NOT EXISTS edge_curvature (
    session_id  uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer NOT NULL,
    source_id   text    NOT NULL,
    target_id   text    NOT NULL,
    curvature   json    NOT NULL,
    PRIMARY KEY (session_id, tick, source_id, target_id),
    -- why: ticks are never negative.
    CONSTRAINT edge_curvature_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE edge_curvature IS 'Feature 002 edge curvatures per tick.';

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

CREATE TABLE IF NOT EXISTS tick_log (
    session_id       uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick             integer          NOT NULL,
    rng_state        json,
    mutations        json,
    invariant_checks json,
    wall_time_ms     double precision,
    system_timings   json,
    logged_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, tick),
    -- why: ticks are never negative.
    CONSTRAINT tick_log_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE tick_log IS 'Replay metadata per tick: RNG state, mutations, invariant checks, timings.';

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

-- from 040_spatial.sql
-- Layer 040: spatial tables that need no extension. H3 cells are bigint
-- (the 64-bit H3 index; its top bit is always 0, so it fits a signed bigint).
-- Geometries live in hex_cell (041_spatial_postgis), which needs PostGIS.

CREATE TABLE IF NOT EXISTS hex_map (
    h3_index    bigint   PRIMARY KEY,
    county_fips text     NOT NULL,
    resolution  smallint NOT NULL DEFAULT 7,
    -- why: the journal is kept at H3 resolution 7; other resolutions are a bug.
    CONSTRAINT hex_map_resolution_check CHECK (resolution BETWEEN 0 AND 15)
);
COMMENT ON TABLE hex_map IS 'County-to-hex mapping at R7: every hex belongs to exactly one county (FIPS code).';

-- why: phase 1 of refresh_hex_latest and reconstruct_hex_state join counties to their hexes.
CREATE INDEX IF NOT EXISTS hex_map_county_idx ON hex_map (county_fips, h3_index);

CREATE TABLE IF NOT EXISTS hex_terrain_state (
    session_id   uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer NOT NULL,
    h3_index     bigint  NOT NULL,
    terrain_type text,
    state        jsonb   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (session_id, tick, h3_index),
    -- why: ticks are never negative.
    CONSTRAINT hex_terrain_state_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_terrain_state IS 'Feature 036 per-hex terrain state per tick (persist_infrastructure_state).';

-- from 050_snapshot.sql
-- Layer 050: append-only per-tick journals of the multi-resolution hex
-- journal. Keyed (game_id, tick, entity): game_id is a game_session id.

CREATE TABLE IF NOT EXISTS territory_snapshot (
    game_id            uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick               integer          NOT NULL,
    county_fips        text             NOT NULL,
    value_tensor       double precision[] NOT NULL,
    profit_rate        double precision,
    exploitation_rate  double precision,
    occ                double precision,
    imperial_rent      double precision,
    pop_total          bigint,
    mobilizable_pop    bigint,
    dominant_class     text,
    class_distribution jsonb            NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (game_id, tick, county_fips),
    -- why: ticks are never negative.
    CONSTRAINT territory_snapshot_tick_check CHECK (tick >= 0),
    -- why: a ValueTensor4x3 has exactly 12 components (4 departments x c, v, s).
    CONSTRAINT territory_snapshot_tensor_check CHECK (cardinality(value_tensor) = 12)
);
COMMENT ON TABLE territory_snapshot IS
    'County economics per tick (~3,100 rows/tick): ValueTensor4x3, profit rate, class distribution. A county keeps its last written row until it writes a new one (reconstruct_hex_state reads the latest row at or before a tick).';

-- why: reconstruct_hex_state and refresh_hex_latest look up the latest row of a county at or before a tick.
CREATE INDEX IF NOT EXISTS territory_snapshot_county_tick_idx
    ON territory_snapshot (game_id, county_fips, tick DESC);

CREATE TABLE IF NOT EXISTS hex_activity (
    game_id         uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick            integer          NOT NULL,
    h3_index        bigint           NOT NULL,
    heat            double precision NOT NULL DEFAULT 0,
    heat_delta      double precision NOT NULL DEFAULT 0,
    org_count       integer          NOT NULL DEFAULT 0,
    org_presence    double precision NOT NULL DEFAULT 0,
    actions_taken   integer          NOT NULL DEFAULT 0,
    faction_control jsonb            NOT NULL DEFAULT '{}'::jsonb,
    state           jsonb            NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (game_id, tick, h3_index),
    -- why: ticks are never negative.
    CONSTRAINT hex_activity_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_activity IS
    'Sparse R7 hex events per tick (~5K rows/tick): only hexes with heat, organisations or actions. A hex without a row at a tick has no activity at that tick (zero heat). The primary key (game_id, tick, h3_index) serves every read. Also written by persist_hex_state.';


CREATE TABLE IF NOT EXISTS economic_summary (
    game_id  uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick     integer NOT NULL,
    scope    text    NOT NULL,
    scope_id text    NOT NULL,
    metrics  jsonb   NOT NULL,
    PRIMARY KEY (game_id, tick, scope, scope_id),
    -- why: aggregates exist at a few fixed scopes only.
    CONSTRAINT economic_summary_scope_check CHECK (scope IN ('national', 'state', 'county', 'region'))
);
COMMENT ON TABLE economic_summary IS 'Aggregates per tick at national, state, county or region scope.';

CREATE TABLE IF NOT EXISTS tick_event (
    game_id     uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer NOT NULL,
    seq         integer NOT NULL,
    event_type  text    NOT NULL,
    h3_index    bigint,
    county_fips text,
    payload     jsonb   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (game_id, tick, seq)
);
COMMENT ON TABLE tick_event IS 'Spatially located events per tick (journal), in order.';

-- from 060_hex_cache.sql
-- Layer 060: the hex cache. hex_latest is the current state of every R7 hex
-- of a game. It is a VIEW, not a per-hex table rewritten each tick: a tick's
-- refresh copies ~3,100 county rows into hex_county_latest and moves the
-- game's tick pointer in hex_latest_head; the view broadcasts county values
-- to hexes through hex_base (hex_map plus the R8 substrate aggregated per R7
-- hex, shared by all games) and overlays that tick's rows of hex_activity. Hexes that went quiet therefore have no activity
-- without any write. scripts/bench_hex.py measures this design against the
-- per-hex UPDATE design.

CREATE TABLE IF NOT EXISTS hex_substrate (
    h3_index        bigint           PRIMARY KEY,
    parent_h3_index bigint           NOT NULL,
    terrain_type    text,
    water_coverage  double precision,
    broadband       boolean,
    surveillance    double precision,
    -- why: coverage is a fraction of the cell's area.
    CONSTRAINT hex_substrate_water_check CHECK (water_coverage IS NULL OR water_coverage BETWEEN 0 AND 1)
);
COMMENT ON TABLE hex_substrate IS
    'Static R8 terrain, water, broadband and surveillance (~1.7M rows, written once by load_hex_substrate); parent_h3_index is its R7 parent.';

-- why: seed_hex_latest aggregates the R8 children of each R7 hex.
CREATE INDEX IF NOT EXISTS hex_substrate_parent_idx ON hex_substrate (parent_h3_index);

CREATE TABLE IF NOT EXISTS hex_base (
    h3_index        bigint           PRIMARY KEY,
    county_fips     text             NOT NULL,
    terrain_type    text,
    water_coverage  double precision,
    internet_access double precision
);
COMMENT ON TABLE hex_base IS
    'Static part of hex_latest, shared by every game: each hex of hex_map with its county and its R8 substrate aggregated per R7 parent (MODE terrain, AVG water, share of children with broadband). Rebuilt by load_hex_map, load_hex_substrate and rebuild_hex_base.';

-- why: viewport reads and the county broadcast of hex_latest go county by county.
CREATE INDEX IF NOT EXISTS hex_base_county_idx ON hex_base (county_fips, h3_index);

CREATE TABLE IF NOT EXISTS hex_county_latest (
    game_id           uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    county_fips       text             NOT NULL,
    profit_rate       double precision,
    exploitation_rate double precision,
    occ               double precision,
    imperial_rent     double precision,
    pop_total         bigint,
    mobilizable_pop   bigint,
    dominant_class    text,
    PRIMARY KEY (game_id, county_fips)
) WITH (fillfactor = 70);
COMMENT ON TABLE hex_county_latest IS
    'Economics of each county as of the game''s refreshed tick (its latest territory_snapshot row at or before it). Phase 1 of refresh_hex_latest upserts only changed counties; fillfactor 70 keeps those updates HOT.';

CREATE TABLE IF NOT EXISTS hex_latest_head (
    game_id      uuid        PRIMARY KEY REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer     NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    -- why: ticks are never negative.
    CONSTRAINT hex_latest_head_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_latest_head IS
    'The tick hex_latest shows for each seeded game; phase 2 of refresh_hex_latest moves it, which also selects that tick''s activity overlay.';

CREATE OR REPLACE VIEW hex_latest AS
SELECT
    h.game_id,
    b.h3_index,
    b.county_fips,
    h.tick,
    c.profit_rate,
    c.exploitation_rate,
    c.occ,
    c.imperial_rent,
    c.pop_total,
    c.mobilizable_pop,
    c.dominant_class,
    coalesce(a.heat, 0) AS heat,
    coalesce(a.heat_delta, 0) AS heat_delta,
    coalesce(a.org_count, 0) AS org_count,
    coalesce(a.org_presence, 0) AS org_presence,
    coalesce(a.actions_taken, 0) AS actions_taken,
    coalesce(a.faction_control, '{}'::jsonb) AS faction_control,
    a.tick AS activity_tick,
    b.terrain_type,
    b.water_coverage,
    b.internet_access
FROM hex_latest_head AS h
INNER JOIN hex_county_latest AS c ON c.game_id = h.game_id
INNER JOIN hex_base AS b ON b.county_fips = c.county_fips
LEFT JOIN (
    -- that tick's activity rows: for the head row, one range scan of the
    -- hex_activity primary key (game_id, head tick). OFFSET 0 keeps the
    -- planner from flattening the LATERAL subquery, which would let it read
    -- every tick of the game's activity and filter afterwards.
    SELECT ah.game_id, ha.h3_index, ha.tick, ha.heat, ha.heat_delta, ha.org_count,
        ha.org_presence, ha.actions_taken, ha.faction_control
    FROM hex_latest_head AS ah
    CROSS JOIN LATERAL (
        SELECT x.h3_index, x.tick, x.heat, x.heat_delta, x.org_count, x.org_presence,
            x.actions_taken, x.faction_control
        FROM hex_activity AS x
        WHERE x.game_id = ah.game_id AND x.tick = ah.tick
        OFFSET 0
    ) AS ha
) AS a ON a.game_id = h.game_id AND a.h3_index = b.h3_index;
COMMENT ON VIEW hex_latest IS
    'Current state of every R7 hex of a seeded game (one row per hex whose county has territory at or before the head tick), equal to reconstruct_hex_state(game, head tick). Activity columns are zero (activity_tick NULL) for hexes without a hex_activity row at that tick. Filter by game_id (and county_fips for a viewport).';

-- from 070_composition_views.sql
-- Layer 070: composition views. Column projections of hex_latest for the
-- frontend's map layers. v_hex_heat starts from that tick's activity rows
-- instead (same rows as hex_latest WHERE heat > 0, without scanning every hex).

CREATE OR REPLACE VIEW v_hex_economic AS
SELECT game_id, h3_index, tick, profit_rate, exploitation_rate, occ, imperial_rent, pop_total, heat
FROM hex_latest;
COMMENT ON VIEW v_hex_economic IS 'Economic map layer.';

CREATE OR REPLACE VIEW v_hex_mobilize AS
SELECT game_id, h3_index, tick, mobilizable_pop, org_presence, heat AS hex_heat, dominant_class
FROM hex_latest;
COMMENT ON VIEW v_hex_mobilize IS 'Mobilisation map layer.';

CREATE OR REPLACE VIEW v_hex_heat AS
SELECT h.game_id, a.h3_index, h.tick, a.heat, a.heat_delta, a.org_count
FROM hex_latest_head AS h
CROSS JOIN LATERAL (
    -- the head tick's rows only (primary-key range); OFFSET 0 keeps it so
    SELECT x.h3_index, x.heat, x.heat_delta, x.org_count
    FROM hex_activity AS x
    WHERE x.game_id = h.game_id AND x.tick = h.tick AND x.heat > 0
    OFFSET 0
) AS a
INNER JOIN hex_base AS b ON b.h3_index = a.h3_index
INNER JOIN hex_county_latest AS c ON c.game_id = h.game_id AND c.county_fips = b.county_fips;
COMMENT ON VIEW v_hex_heat IS
    'Heat map layer: only hexes with heat (the rows of hex_latest with heat > 0), read from the head tick''s sparse activity rows.';

CREATE OR REPLACE VIEW v_hex_aid AS
SELECT game_id, h3_index, tick, internet_access, terrain_type, water_coverage
FROM hex_latest;
COMMENT ON VIEW v_hex_aid IS 'Aid-logistics map layer.';

CREATE OR REPLACE VIEW v_hex_intel AS
SELECT game_id, h3_index, tick, faction_control, dominant_class, org_count, actions_taken
FROM hex_latest;
COMMENT ON VIEW v_hex_intel IS 'Intelligence map layer: faction control, classes, organisations, actions.';

-- from 080_infrastructure.sql
-- Layer 080: infrastructure topology state (Feature 036).

CREATE TABLE IF NOT EXISTS infrastructure_link_state (
    session_id  uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer          NOT NULL,
    link_id     text             NOT NULL,
    source_id   text,
    target_id   text,
    capacity    double precision,
    condition   double precision,
    state       jsonb            NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (session_id, tick, link_id),
    -- why: ticks are never negative.
    CONSTRAINT infrastructure_link_state_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE infrastructure_link_state IS 'Per-edge infrastructure capacity and condition per tick.';

-- from 090_trace.sql
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

-- requires: postgis
-- from 041_spatial_postgis.sql
-- Layer 041: hex geometries. Needs PostGIS; skipped (with a warning) on a
-- server without it.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS hex_cell (
    h3_index   bigint   PRIMARY KEY,
    resolution smallint NOT NULL,
    boundary   geometry(Polygon, 4326) NOT NULL,
    centroid   geometry(Point, 4326)   NOT NULL,
    -- why: H3 knows resolutions 0 to 15 only.
    CONSTRAINT hex_cell_resolution_check CHECK (resolution BETWEEN 0 AND 15)
);
COMMENT ON TABLE hex_cell IS 'H3 hex geometries (WGS 84) for spatial queries and map tiles.';

-- why: viewport queries ask which hexes intersect a bounding box.
CREATE INDEX IF NOT EXISTS hex_cell_boundary_gist ON hex_cell USING gist (boundary);

-- requires: vector
-- from 100_semantic.sql
-- Layer 100: document embeddings for semantic search. Needs pgvector;
-- skipped (with a warning) on a server without it.
--
-- Dimensions: the embedding column has no fixed dimension, so one table holds
-- 384-dimension (a small local model), 768-dimension (the design's local
-- embedder) and 1536-dimension (the store's default) collections side by side.
-- Each collection records its dimension once in vector_collection; a
-- composite foreign key makes every chunk carry its collection's dimension, and
-- a CHECK ties that number to the vector itself. Each dimension in use has a
-- partial HNSW index on the expression embedding::vector(N) WHERE dimension = N:
-- 768 is built in here, any other is created by PgVectorStore when a
-- collection of that dimension is first registered
-- (queries/pg/vector/create_hnsw_index.sql). pgvector indexes at most 2,000
-- dimensions of the vector type, hence the range check.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS vector_collection (
    collection  text        PRIMARY KEY,
    dimension   integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- why: the composite foreign key of document_chunk points at (collection, dimension).
    CONSTRAINT vector_collection_dimension_key UNIQUE (collection, dimension),
    -- why: an HNSW index on the vector type takes 1 to 2,000 dimensions.
    CONSTRAINT vector_collection_dimension_check CHECK (dimension BETWEEN 1 AND 2000),
    -- why: collection names are data, but restricted so they print and log safely.
    CONSTRAINT vector_collection_name_check
        CHECK (collection ~ '^[A-Za-z0-9_.:-]{1,128}$')
);
COMMENT ON TABLE vector_collection IS
    'One row per vector collection: the embedding dimension every chunk of that collection has.';

CREATE TABLE IF NOT EXISTS document_chunk (
    collection  text        NOT NULL,
    chunk_id    text        NOT NULL,
    session_id  uuid        REFERENCES game_session (session_id) ON DELETE CASCADE,
    source      text,
    document    text        NOT NULL,
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    embedding   vector      NOT NULL,
    dimension   integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, chunk_id),
    -- why: a chunk has the dimension its collection was registered with.
    CONSTRAINT document_chunk_collection_fkey FOREIGN KEY (collection, dimension)
        REFERENCES vector_collection (collection, dimension) ON DELETE CASCADE,
    -- why: the dimension column drives the partial HNSW indexes; it must match the vector.
    CONSTRAINT document_chunk_dimension_check CHECK (dimension = vector_dims(embedding)),
    -- why: where= filters use containment (@>), which only means something on objects.
    CONSTRAINT document_chunk_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
COMMENT ON TABLE document_chunk IS
    'Document chunks with embeddings. A collection is a namespace; each collection holds vectors of one dimension.';

-- why: cosine nearest-neighbour search (<=>) for 768-dimension embeddings.
CREATE INDEX IF NOT EXISTS document_chunk_hnsw_768
    ON document_chunk USING hnsw ((embedding::vector(768)) vector_cosine_ops)
    WHERE dimension = 768;

-- why: where= filters use jsonb containment (@>).
CREATE INDEX IF NOT EXISTS document_chunk_metadata_gin
    ON document_chunk USING gin (metadata jsonb_path_ops);

-- why: deleting a game_session cascades here; without it every delete scans the table.
CREATE INDEX IF NOT EXISTS document_chunk_session_idx
    ON document_chunk (session_id) WHERE session_id IS NOT NULL;
