-- name: snapshot#
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
COMMENT ON INDEX territory_snapshot_county_tick_idx IS 'reconstruct_hex_state and refresh_hex_latest look up the latest row of a county at or before a tick.';

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
