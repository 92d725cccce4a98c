-- name: hex_cache#
-- Layer 060: the hex cache. hex_latest is the current state of every R7 hex
-- of a game. It is a VIEW, not a per-hex table rewritten each tick: a tick's
-- refresh moves the game's tick pointer in hex_latest_head, and keeps in
-- hex_county_latest a pointer for each county not written at that tick to its
-- latest row (none when every county writes every tick); the view reads
-- those territory rows by primary key, broadcasts them to hexes through
-- hex_base (hex_map plus the R8 substrate aggregated per R7 hex, shared by
-- all games) and overlays that tick's rows of hex_activity. Hexes that went
-- quiet therefore have no activity without any write. scripts/bench_hex.py measures this design against the
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
COMMENT ON INDEX hex_substrate_parent_idx IS 'seed_hex_latest aggregates the R8 children of each R7 hex.';

CREATE TABLE IF NOT EXISTS hex_base (
    h3_index        bigint           PRIMARY KEY,
    county_fips     text             NOT NULL,
    terrain_type    text,
    water_coverage  double precision,
    internet_access boolean,
    broadband_share double precision
);
COMMENT ON TABLE hex_base IS
    'Static part of hex_latest, shared by every game: each hex of hex_map with its county and its R8 substrate aggregated per R7 parent (MODE terrain, AVG water, BOOL_OR broadband as internet_access, and the share of children with broadband). Rebuilt by load_hex_map, load_hex_substrate and rebuild_hex_base.';

-- why: viewport reads and the county broadcast of hex_latest go county by county.
CREATE INDEX IF NOT EXISTS hex_base_county_idx ON hex_base (county_fips, h3_index);
COMMENT ON INDEX hex_base_county_idx IS 'viewport reads and the county broadcast of hex_latest go county by county.';

CREATE TABLE IF NOT EXISTS hex_county_latest (
    game_id     uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    county_fips text    NOT NULL,
    tick        integer NOT NULL,
    PRIMARY KEY (game_id, county_fips),
    -- why: ticks are never negative.
    CONSTRAINT hex_county_latest_tick_check CHECK (tick >= 0)
) WITH (fillfactor = 70);
COMMENT ON TABLE hex_county_latest IS
    'Carried counties of each seeded game: those whose latest territory_snapshot row at or before the head tick is older than the head tick, with the tick of that row. Counties written at the head tick are read from territory_snapshot directly, so when every county writes every tick this table stays empty and phase 1 of refresh_hex_latest writes nothing. fillfactor 70 keeps pointer moves HOT.';

CREATE TABLE IF NOT EXISTS hex_latest_head (
    game_id      uuid        PRIMARY KEY REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer     NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    -- why: ticks are never negative.
    CONSTRAINT hex_latest_head_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_latest_head IS
    'The tick hex_latest shows for each seeded game; phase 2 of refresh_hex_latest moves it, which also selects that tick''s activity overlay.';

CREATE TABLE IF NOT EXISTS hex_journal_head (
    game_id uuid    PRIMARY KEY REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick    integer NOT NULL,
    -- why: ticks are never negative.
    CONSTRAINT hex_journal_head_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE hex_journal_head IS
    'The last tick journaled for each game (any territory or activity write, empty ones included). A write may rewrite any tick up to it or add the next one; a refresh may not run past it.';

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
