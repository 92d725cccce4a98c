-- name: reconstruct_hex_state_county(game_id, tick, county_fips)
-- reconstruct_hex_state for the hexes of one county (a viewport): one probe
-- of territory_snapshot_county_tick_idx, the county's hexes from
-- hex_map_county_idx, one primary-key probe of hex_activity per hex (LATERAL).
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
FROM (
    SELECT ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = :county_fips AND ts.tick <= :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
INNER JOIN hex_map AS m ON m.county_fips = t.county_fips
LEFT JOIN LATERAL (
    SELECT ha.*
    FROM hex_activity AS ha
    WHERE ha.game_id = :game_id AND ha.tick = :tick AND ha.h3_index = m.h3_index
) AS a ON true
ORDER BY m.h3_index;
