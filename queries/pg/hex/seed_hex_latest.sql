-- name: seed_hex_latest(game_id)!
-- Tick-0 ETL of a game's hex_latest: the tick-0 territory_snapshot rows of
-- the counties that have hexes (territory joined to hex_map through hex_base) become
-- the game's county rows; the view broadcasts them to the hexes. Primary-key
-- range of territory_snapshot (game_id, 0), one probe of
-- hex_base_county_idx per county. Runs after delete_hex_county_latest.
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
FROM territory_snapshot AS t
WHERE t.game_id = :game_id AND t.tick = 0
    AND EXISTS (SELECT 1 FROM hex_base AS b WHERE b.county_fips = t.county_fips);
