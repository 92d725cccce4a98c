-- name: upsert_hex_county(county_fips, state_fips, name)*!
-- One county of load_counties (executemany, batches of 1,000): inserted, or
-- its state and name replaced. Primary key of hex_county.
INSERT INTO hex_county (county_fips, state_fips, name)
VALUES (:county_fips, :state_fips, :name)
ON CONFLICT (county_fips) DO UPDATE SET
    state_fips = excluded.state_fips,
    name = excluded.name;
