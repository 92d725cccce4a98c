-- name: hex_journal_at_scale#
-- Migration 0006: the hex journal at national scale.
--   hex_county: the counties of the world (territory rows must name one),
--     filled from hex_map and territory_snapshot.
--   hex_state: per-hex economics as the original persist_hex_state wrote them.
--   hex_base: internet_access is BOOL_OR of the R8 children's broadband (as
--     designed), broadband_share the fraction; recomputed from hex_substrate.
--   hex_county_latest: pointers of carried counties only (county, tick); the
--     hex_latest view reads the territory rows themselves. Recomputed for
--     every seeded game from territory_snapshot.
--   hex_journal_head: the last journaled tick of each game, from the journals.
--   hex_latest and the composition views are dropped and created again (their
--     column types change); run `babylon-sql roles create` again afterwards so
--     the read-only role sees them.

DROP VIEW IF EXISTS v_hex_economic, v_hex_mobilize, v_hex_heat, v_hex_aid, v_hex_intel;
DROP VIEW IF EXISTS hex_latest;

CREATE TABLE hex_county (
    county_fips text PRIMARY KEY,
    state_fips  text,
    name        text
);
COMMENT ON TABLE hex_county IS
    'The counties of the world, shared by every game: territory_snapshot rows must name one. Filled by load_counties and, for the counties of its rows, by load_hex_map; a county may have no hexes (yet).';
INSERT INTO hex_county (county_fips)
SELECT county_fips FROM hex_map
UNION
SELECT county_fips FROM territory_snapshot;

CREATE TABLE hex_state (
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
CREATE INDEX hex_state_hex_tick_idx ON hex_state (session_id, h3_index, tick);
COMMENT ON INDEX hex_state_hex_tick_idx IS 'get_hex_time_series reads one hex of a session across ticks.';

ALTER TABLE hex_base DROP COLUMN internet_access;
ALTER TABLE hex_base ADD COLUMN internet_access boolean, ADD COLUMN broadband_share double precision;
COMMENT ON TABLE hex_base IS
    'Static part of hex_latest, shared by every game: each hex of hex_map with its county and its R8 substrate aggregated per R7 parent (MODE terrain, AVG water, BOOL_OR broadband as internet_access, and the share of children with broadband). Rebuilt by load_hex_map, load_hex_substrate and rebuild_hex_base.';
UPDATE hex_base AS b
SET internet_access = s.internet_access, broadband_share = s.broadband_share
FROM (
    SELECT
        parent_h3_index,
        bool_or(broadband) AS internet_access,
        avg(broadband::integer) AS broadband_share
    FROM hex_substrate
    GROUP BY parent_h3_index
) AS s
WHERE s.parent_h3_index = b.h3_index;

DROP TABLE hex_county_latest;
CREATE TABLE hex_county_latest (
    game_id     uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    county_fips text    NOT NULL,
    tick        integer NOT NULL,
    PRIMARY KEY (game_id, county_fips),
    -- why: ticks are never negative.
    CONSTRAINT hex_county_latest_tick_check CHECK (tick >= 0)
) WITH (fillfactor = 70);
COMMENT ON TABLE hex_county_latest IS
    'Carried counties of each seeded game: those whose latest territory_snapshot row at or before the head tick is older than the head tick, with the tick of that row. Counties written at the head tick are read from territory_snapshot directly, so when every county writes every tick this table stays empty and phase 1 of refresh_hex_latest writes nothing. fillfactor 70 keeps pointer moves HOT.';
-- Counties whose latest territory row at or before the head tick is older.
INSERT INTO hex_county_latest (game_id, county_fips, tick)
SELECT h.game_id, t.county_fips, max(t.tick)
FROM hex_latest_head AS h
INNER JOIN territory_snapshot AS t ON t.game_id = h.game_id AND t.tick <= h.tick
GROUP BY h.game_id, h.tick, t.county_fips
HAVING max(t.tick) < h.tick;

CREATE TABLE hex_journal_head (
    game_id uuid    PRIMARY KEY REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick    integer NOT NULL,
    -- why: ticks are never negative.
    CONSTRAINT hex_journal_head_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_journal_head IS
    'The last tick journaled for each game (any territory or activity write, empty ones included). A write may rewrite any tick up to it or add the next one; a refresh may not run past it.';
INSERT INTO hex_journal_head (game_id, tick)
SELECT game_id, max(tick)
FROM (
    SELECT game_id, tick FROM territory_snapshot
    UNION ALL
    SELECT game_id, tick FROM hex_activity
) AS j
GROUP BY game_id;

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
    b.internet_access,
    b.broadband_share
FROM hex_latest_head AS h
INNER JOIN (
    -- each county's latest territory row at or before the head tick: the
    -- head tick's rows (primary-key range (game_id, tick)), and for the
    -- carried counties the row their pointer names (primary-key probes).
    -- Not LATERAL: a game_id filter on the view reaches both branches, and
    -- the planner hashes these ~3,100 rows instead of the hexes.
    SELECT hh.game_id, t.county_fips, t.profit_rate, t.exploitation_rate, t.occ,
        t.imperial_rent, t.pop_total, t.mobilizable_pop, t.dominant_class
    FROM hex_latest_head AS hh
    INNER JOIN territory_snapshot AS t ON t.game_id = hh.game_id AND t.tick = hh.tick
    UNION ALL
    SELECT hh.game_id, t.county_fips, t.profit_rate, t.exploitation_rate, t.occ,
        t.imperial_rent, t.pop_total, t.mobilizable_pop, t.dominant_class
    FROM hex_latest_head AS hh
    INNER JOIN hex_county_latest AS k ON k.game_id = hh.game_id
    INNER JOIN territory_snapshot AS t
        ON t.game_id = k.game_id AND t.tick = k.tick AND t.county_fips = k.county_fips
) AS c ON c.game_id = h.game_id
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
WHERE EXISTS (
    -- the hex's county has territory at the head tick, or is carried
    SELECT 1 FROM territory_snapshot AS t
    WHERE t.game_id = h.game_id AND t.tick = h.tick AND t.county_fips = b.county_fips
) OR EXISTS (
    SELECT 1 FROM hex_county_latest AS k
    WHERE k.game_id = h.game_id AND k.county_fips = b.county_fips
);
COMMENT ON VIEW v_hex_heat IS
    'Heat map layer: only hexes with heat (the rows of hex_latest with heat > 0), read from the head tick''s sparse activity rows.';

CREATE OR REPLACE VIEW v_hex_aid AS
SELECT game_id, h3_index, tick, internet_access, terrain_type, water_coverage, broadband_share
FROM hex_latest;
COMMENT ON VIEW v_hex_aid IS 'Aid-logistics map layer.';

CREATE OR REPLACE VIEW v_hex_intel AS
SELECT game_id, h3_index, tick, faction_control, dominant_class, org_count, actions_taken
FROM hex_latest;
COMMENT ON VIEW v_hex_intel IS 'Intelligence map layer: faction control, classes, organisations, actions.';

-- requires: postgis
-- why: hexes within a radius compare geodesic distances to the centroid (ST_DWithin on geography).
CREATE INDEX IF NOT EXISTS hex_cell_centroid_geog_gist ON hex_cell USING gist ((centroid::geography));
COMMENT ON INDEX hex_cell_centroid_geog_gist IS 'hexes within a radius compare geodesic distances to the centroid (ST_DWithin on geography).';
