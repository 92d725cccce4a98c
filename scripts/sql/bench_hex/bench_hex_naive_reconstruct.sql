-- name: bench_hex_naive_reconstruct(game_id, tick)
-- Baseline reconstruction: DISTINCT ON over the whole territory history up
-- to :tick, joined to hex_map, activity of :tick joined without LATERAL.
SELECT
    m.h3_index, m.county_fips, CAST(:tick AS integer) AS tick, t.profit_rate,
    t.exploitation_rate, t.occ, t.imperial_rent, t.pop_total, t.mobilizable_pop,
    t.dominant_class, coalesce(a.heat, 0) AS heat, coalesce(a.heat_delta, 0) AS heat_delta,
    coalesce(a.org_count, 0) AS org_count, coalesce(a.org_presence, 0) AS org_presence,
    coalesce(a.actions_taken, 0) AS actions_taken,
    coalesce(a.faction_control, '{}'::jsonb) AS faction_control, a.tick AS activity_tick
FROM (
    SELECT DISTINCT ON (ts.county_fips) ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.tick <= :tick
    ORDER BY ts.county_fips, ts.tick DESC
) AS t
INNER JOIN hex_map AS m ON m.county_fips = t.county_fips
LEFT JOIN hex_activity AS a ON a.game_id = :game_id AND a.tick = :tick AND a.h3_index = m.h3_index
ORDER BY m.h3_index;
