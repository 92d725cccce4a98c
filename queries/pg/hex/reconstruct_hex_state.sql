-- name: reconstruct_hex_state(game_id, tick)
-- Historical state of every hex of a game at :tick, from the journals alone:
-- each county's latest territory_snapshot row at or before :tick (LATERAL
-- ... LIMIT 1 on territory_snapshot_county_tick_idx), broadcast to its hexes
-- through hex_map, with the hex_activity rows of exactly :tick overlaid
-- (primary-key range (game_id, tick); a hex without a row there has zero
-- activity). Same rows as hex_latest at that head tick.
-- Plan: hex_map in primary-key order (so no sort of the ~216K rows), the
-- county lookup memoized (one index probe per county, ~3,100), merged with
-- the tick's activity rows. Measured on the CONUS world at design scale
-- (scripts/bench_hex.py): 126 ms against 195 ms for the same lookup driven
-- by DISTINCT counties, whose result had to be sorted on disk.
SELECT
    m.h3_index,
    m.county_fips,
    CAST(:tick AS integer) AS tick,
    t.profit_rate,
    t.exploitation_rate,
    t.occ,
    t.imperial_rent,
    t.pop_total,
    t.mobilizable_pop,
    t.dominant_class,
    coalesce(a.heat, 0) AS heat,
    coalesce(a.heat_delta, 0) AS heat_delta,
    coalesce(a.org_count, 0) AS org_count,
    coalesce(a.org_presence, 0) AS org_presence,
    coalesce(a.actions_taken, 0) AS actions_taken,
    coalesce(a.faction_control, '{}'::jsonb) AS faction_control,
    a.tick AS activity_tick
FROM hex_map AS m
CROSS JOIN LATERAL (
    SELECT ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = m.county_fips AND ts.tick <= :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
LEFT JOIN hex_activity AS a ON a.game_id = :game_id AND a.tick = :tick AND a.h3_index = m.h3_index
ORDER BY m.h3_index;
