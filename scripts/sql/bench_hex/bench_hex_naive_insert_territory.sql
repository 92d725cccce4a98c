-- name: bench_hex_naive_insert_territory*!
-- Baseline journal write: one county row of a tick through executemany (at most
-- 1,000 rows per call, one transaction).
INSERT INTO territory_snapshot (
    game_id, tick, county_fips, value_tensor, profit_rate, exploitation_rate, occ,
    imperial_rent, pop_total, mobilizable_pop, dominant_class, class_distribution
)
VALUES (
    :game_id, :tick, :county_fips, :value_tensor, :profit_rate, :exploitation_rate, :occ,
    :imperial_rent, :pop_total, :mobilizable_pop, :dominant_class, :class_distribution
);
