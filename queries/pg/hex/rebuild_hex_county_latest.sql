-- name: rebuild_hex_county_latest(game_id, tick)!
-- Full phase 1: for every county that has hexes, the game's latest
-- territory_snapshot row at or before :tick (one probe of
-- territory_snapshot_county_tick_idx per county via LATERAL ... LIMIT 1).
-- Runs after delete_hex_county_latest.
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
FROM (SELECT DISTINCT b.county_fips FROM hex_base AS b) AS k
CROSS JOIN LATERAL (
    SELECT ts.*
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = k.county_fips AND ts.tick <= :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t;
