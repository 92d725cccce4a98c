-- name: fill_hex_county_latest(county_fips)!
-- After a static load gave hexes to the counties :county_fips: in every
-- seeded game (hex_latest_head), add the county rows hex_county_latest lacks
-- (a county journaled before the seed while it had no hexes), each from the
-- game's latest territory_snapshot row at or before its head tick (one probe
-- of territory_snapshot_county_tick_idx per game and county). Keeps
-- hex_latest equal to reconstruct_hex_state of the head tick.
INSERT INTO hex_county_latest (
    game_id, county_fips, profit_rate, exploitation_rate, occ, imperial_rent,
    pop_total, mobilizable_pop, dominant_class
)
SELECT
    t.game_id,
    t.county_fips,
    t.profit_rate,
    t.exploitation_rate,
    t.occ,
    t.imperial_rent,
    t.pop_total,
    t.mobilizable_pop,
    t.dominant_class
FROM hex_latest_head AS h
CROSS JOIN (SELECT DISTINCT q.county_fips FROM unnest(CAST(:county_fips AS text[])) AS q (county_fips)) AS k
CROSS JOIN LATERAL (
    SELECT ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = h.game_id AND ts.county_fips = k.county_fips AND ts.tick <= h.tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
ON CONFLICT (game_id, county_fips) DO NOTHING;
