-- name: register_hex_counties(county_fips)!
-- Make the counties of a hex_map load known in hex_county (those already
-- there keep their state and name). Primary-key probes.
INSERT INTO hex_county (county_fips)
SELECT DISTINCT q.county_fips
FROM unnest(CAST(:county_fips AS text[])) AS q (county_fips)
ON CONFLICT (county_fips) DO NOTHING;
