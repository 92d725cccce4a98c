-- name: bench_hex_naive_seed(game_id)!
-- Baseline seed: INSERT ... SELECT of every hex row from tick-0 territory,
-- hex_map and the substrate aggregate into the per-hex table.
INSERT INTO hex_latest_naive (
    game_id, h3_index, county_fips, tick, profit_rate, exploitation_rate, occ, imperial_rent,
    pop_total, mobilizable_pop, dominant_class, terrain_type, water_coverage, internet_access
)
SELECT
    t.game_id, m.h3_index, m.county_fips, 0, t.profit_rate, t.exploitation_rate, t.occ,
    t.imperial_rent, t.pop_total, t.mobilizable_pop, t.dominant_class,
    s.terrain_type, s.water_coverage, s.internet_access
FROM territory_snapshot AS t
INNER JOIN hex_map AS m ON m.county_fips = t.county_fips
LEFT JOIN (
    SELECT
        parent_h3_index,
        mode() WITHIN GROUP (ORDER BY terrain_type) AS terrain_type,
        avg(water_coverage) AS water_coverage,
        avg(broadband::integer) AS internet_access
    FROM hex_substrate
    GROUP BY parent_h3_index
) AS s ON s.parent_h3_index = m.h3_index
WHERE t.game_id = :game_id AND t.tick = 0;
