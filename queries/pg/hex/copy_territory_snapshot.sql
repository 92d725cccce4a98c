-- name: copy_territory_snapshot#
-- One tick's county rows, streamed by write_territory_snapshot through
-- cursor.copy() after delete_territory_tick, in the same transaction (COPY
-- rather than batched INSERTs: scripts/bench_hex.py measures both).
-- copy-types: uuid, int4, text, bytea, float8, float8, float8, float8, int8, int8, text, bytea
-- (value_tensor float8[] and state jsonb travel in their binary form, built in
-- Python, declared bytea so the driver sends them untouched)
COPY territory_snapshot (
    game_id, tick, county_fips, value_tensor, profit_rate, exploitation_rate, occ,
    imperial_rent, pop_total, mobilizable_pop, dominant_class, class_distribution
) FROM STDIN (FORMAT BINARY);
