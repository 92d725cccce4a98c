-- name: refresh_hex_latest_phase1(game_id, since, tick)!
-- Phase 1, territory broadcast, moving forward from head tick :since to
-- :tick: each county written in (since, tick] gets its newest row there;
-- counties whose values did not change are not rewritten (IS DISTINCT FROM),
-- the others are HOT updates. ~3,100 county rows instead of 243K hex rows:
-- the view hex_latest broadcasts them to hexes at read time.
-- Primary-key range scan of territory_snapshot (game_id, tick).
INSERT INTO hex_county_latest AS c (
    game_id, county_fips, profit_rate, exploitation_rate, occ, imperial_rent,
    pop_total, mobilizable_pop, dominant_class
)
SELECT DISTINCT ON (t.county_fips)
    t.game_id,
    t.county_fips,
    t.profit_rate,
    t.exploitation_rate,
    t.occ,
    t.imperial_rent,
    t.pop_total,
    t.mobilizable_pop,
    t.dominant_class
FROM territory_snapshot AS t
WHERE t.game_id = :game_id AND t.tick > :since AND t.tick <= :tick
ORDER BY t.county_fips ASC, t.tick DESC
ON CONFLICT (game_id, county_fips) DO UPDATE SET
    profit_rate = excluded.profit_rate,
    exploitation_rate = excluded.exploitation_rate,
    occ = excluded.occ,
    imperial_rent = excluded.imperial_rent,
    pop_total = excluded.pop_total,
    mobilizable_pop = excluded.mobilizable_pop,
    dominant_class = excluded.dominant_class
WHERE (
    c.profit_rate, c.exploitation_rate, c.occ, c.imperial_rent,
    c.pop_total, c.mobilizable_pop, c.dominant_class
) IS DISTINCT FROM (
    excluded.profit_rate, excluded.exploitation_rate, excluded.occ, excluded.imperial_rent,
    excluded.pop_total, excluded.mobilizable_pop, excluded.dominant_class
);
