-- name: hex_latest_cells(game_id, low, high)
-- Viewport: the hex_latest rows whose index lies in [:low, :high]. For an
-- H3 parent cell the caller passes the range of its descendants at the
-- hexes' resolution (every cell of that resolution in the range descends
-- from it): one range scan of the hex_base primary key.
-- Same columns and rows as hex_latest, but every lookup is a primary-key
-- probe per hex (LATERAL), so the plan stays cheap whatever the row
-- estimates say: the view's hash joins would, under a small estimate,
-- turn into nested loops that rescan the head tick's 5K activity rows
-- and 3,100 county rows for every hex.
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
INNER JOIN hex_base AS b ON b.h3_index BETWEEN :low AND :high
CROSS JOIN LATERAL (
    SELECT t.profit_rate, t.exploitation_rate, t.occ, t.imperial_rent, t.pop_total,
        t.mobilizable_pop, t.dominant_class
    FROM territory_snapshot AS t
    WHERE t.game_id = h.game_id AND t.tick = h.tick AND t.county_fips = b.county_fips
    UNION ALL
    SELECT t.profit_rate, t.exploitation_rate, t.occ, t.imperial_rent, t.pop_total,
        t.mobilizable_pop, t.dominant_class
    FROM hex_county_latest AS k
    INNER JOIN territory_snapshot AS t
        ON t.game_id = k.game_id AND t.tick = k.tick AND t.county_fips = k.county_fips
    WHERE k.game_id = h.game_id AND k.county_fips = b.county_fips
) AS c
LEFT JOIN LATERAL (
    SELECT x.tick, x.heat, x.heat_delta, x.org_count, x.org_presence, x.actions_taken,
        x.faction_control
    FROM hex_activity AS x
    WHERE x.game_id = h.game_id AND x.tick = h.tick AND x.h3_index = b.h3_index
) AS a ON true
WHERE h.game_id = :game_id
ORDER BY b.h3_index;
