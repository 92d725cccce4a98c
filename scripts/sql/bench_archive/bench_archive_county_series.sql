-- name: bench_archive_county_series()
-- DuckDB, over an archive: one county's profit-rate series over every tick
-- ($county is a DuckDB named parameter). Row-group statistics on
-- county_fips let DuckDB skip the groups without the county.
SELECT tick, profit_rate
FROM territory_snapshot
WHERE county_fips = $county
ORDER BY tick;
