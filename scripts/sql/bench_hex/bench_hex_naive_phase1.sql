-- name: bench_hex_naive_phase1(game_id, tick)!
-- Baseline phase 1: the design's per-hex broadcast UPDATE ... FROM
-- territory_snapshot JOIN hex_map (every hex row rewritten).
UPDATE hex_latest_naive AS h
SET
    tick = t.tick,
    profit_rate = t.profit_rate,
    exploitation_rate = t.exploitation_rate,
    occ = t.occ,
    imperial_rent = t.imperial_rent,
    pop_total = t.pop_total,
    mobilizable_pop = t.mobilizable_pop,
    dominant_class = t.dominant_class
FROM territory_snapshot AS t
INNER JOIN hex_map AS m ON m.county_fips = t.county_fips
WHERE t.game_id = :game_id AND t.tick = :tick
    AND h.game_id = :game_id AND h.h3_index = m.h3_index;
