-- name: insert_territory_snapshot*!
-- One county row of a tick (executemany, at most 1,000 rows per call, inside
-- write_territory_snapshot's transaction).
INSERT INTO territory_snapshot (
    game_id, tick, county_fips, value_tensor, profit_rate, exploitation_rate, occ,
    imperial_rent, pop_total, mobilizable_pop, dominant_class, class_distribution
)
VALUES (
    :game_id, :tick, :county_fips, :value_tensor, :profit_rate, :exploitation_rate, :occ,
    :imperial_rent, :pop_total, :mobilizable_pop, :dominant_class, :class_distribution
);
