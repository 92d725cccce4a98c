-- name: reconstruct_hex_state_hexes(game_id, tick, h3_indexes, county_fips)
-- reconstruct_hex_state for a list of hexes (optionally only those of
-- :county_fips): hex_map primary-key probes for the unnested list (not
-- h3_index = ANY(...), which plans as a sequential scan), then per hex one
-- LATERAL probe of territory_snapshot_county_tick_idx and one of the
-- hex_activity primary key.
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
FROM (SELECT DISTINCT q.h3_index FROM unnest(CAST(:h3_indexes AS bigint[])) AS q (h3_index)) AS q
INNER JOIN hex_map AS m ON m.h3_index = q.h3_index
CROSS JOIN LATERAL (
    SELECT ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = m.county_fips AND ts.tick <= :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
LEFT JOIN LATERAL (
    SELECT ha.*
    FROM hex_activity AS ha
    WHERE ha.game_id = :game_id AND ha.tick = :tick AND ha.h3_index = m.h3_index
) AS a ON true
WHERE CAST(:county_fips AS text) IS NULL OR m.county_fips = CAST(:county_fips AS text)
ORDER BY m.h3_index;
