-- name: bench_hex_naive_load_map*!
-- Baseline load: the hex_map rows through executemany (1,000-row batches).
INSERT INTO hex_map_naive (h3_index, county_fips, resolution)
VALUES (:h3_index, :county_fips, :resolution);
