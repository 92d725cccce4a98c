-- name: hex_cache#
-- Layer 060: the hex cache. hex_latest holds the current state of every R7
-- hex of a game (one row per hex, rewritten each tick); hex_substrate holds
-- the static R8 terrain, written once at init and aggregated into hex_latest
-- by seed_hex_latest.

CREATE TABLE IF NOT EXISTS hex_substrate (
    h3_index        bigint           PRIMARY KEY,
    parent_h3_index bigint           NOT NULL,
    terrain_type    text,
    water_coverage  double precision,
    broadband       boolean,
    surveillance    double precision
);
COMMENT ON TABLE hex_substrate IS
    'Static R8 terrain, water, broadband and surveillance (~1.7M rows, written once); parent_h3_index is its R7 parent.';

-- why: seed_hex_latest aggregates the R8 children of each R7 hex.
CREATE INDEX IF NOT EXISTS hex_substrate_parent_idx ON hex_substrate (parent_h3_index);

CREATE TABLE IF NOT EXISTS hex_latest (
    game_id            uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    h3_index           bigint           NOT NULL,
    county_fips        text             NOT NULL,
    tick               integer          NOT NULL,
    profit_rate        double precision,
    exploitation_rate  double precision,
    occ                double precision,
    imperial_rent      double precision,
    pop_total          bigint,
    mobilizable_pop    bigint,
    dominant_class     text,
    heat               double precision NOT NULL DEFAULT 0,
    heat_delta         double precision NOT NULL DEFAULT 0,
    org_count          integer          NOT NULL DEFAULT 0,
    org_presence       double precision NOT NULL DEFAULT 0,
    actions_taken      integer          NOT NULL DEFAULT 0,
    faction_control    jsonb            NOT NULL DEFAULT '{}'::jsonb,
    activity_tick      integer,
    terrain_type       text,
    water_coverage     double precision,
    internet_access    double precision,
    PRIMARY KEY (game_id, h3_index)
) WITH (fillfactor = 50);
COMMENT ON TABLE hex_latest IS
    'Denormalised current state of every R7 hex of a game, for frontend reads. fillfactor 50 leaves room for HOT updates each tick.';

-- why: phase 1 rewrites hexes county by county.
CREATE INDEX IF NOT EXISTS hex_latest_county_idx ON hex_latest (game_id, county_fips);
