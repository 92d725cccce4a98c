-- name: spatial#
-- Layer 040: spatial tables that need no extension. H3 cells are bigint
-- (the 64-bit H3 index; its top bit is always 0, so it fits a signed bigint).
-- Geometries live in hex_cell (041_spatial_postgis), which needs PostGIS.

CREATE TABLE IF NOT EXISTS hex_county (
    county_fips text PRIMARY KEY,
    state_fips  text,
    name        text
);
COMMENT ON TABLE hex_county IS
    'The counties of the world, shared by every game: territory_snapshot rows must name one. Filled by load_counties and, for the counties of its rows, by load_hex_map; a county may have no hexes (yet).';

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
COMMENT ON INDEX hex_map_county_idx IS 'phase 1 of refresh_hex_latest and reconstruct_hex_state join counties to their hexes.';

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

CREATE TABLE IF NOT EXISTS hex_state (
    session_id        uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick              integer          NOT NULL,
    h3_index          bigint           NOT NULL,
    constant_capital  numeric          NOT NULL DEFAULT 0,
    variable_capital  numeric          NOT NULL DEFAULT 0,
    surplus_value     numeric          NOT NULL DEFAULT 0,
    employment        double precision NOT NULL DEFAULT 0,
    dept_shares       double precision[] NOT NULL DEFAULT '{0,0,0,0}',
    profit_rate       double precision NOT NULL DEFAULT 0,
    exploitation_rate double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, tick, h3_index),
    -- why: ticks are never negative.
    CONSTRAINT hex_state_tick_check CHECK (tick >= 0),
    -- why: four departments (I, IIa, IIb, III), one share each.
    CONSTRAINT hex_state_dept_shares_check CHECK (cardinality(dept_shares) = 4)
);
COMMENT ON TABLE hex_state IS
    'Per-hex economics per tick as the original persist_hex_state wrote them (c, v, s, employment, department shares, rates); hexes must be in hex_map. get_hex_state_for_tick and get_hex_time_series read it.';

-- why: get_hex_time_series reads one hex of a session across ticks.
CREATE INDEX IF NOT EXISTS hex_state_hex_tick_idx ON hex_state (session_id, h3_index, tick);
COMMENT ON INDEX hex_state_hex_tick_idx IS 'get_hex_time_series reads one hex of a session across ticks.';
