-- name: missing_counties(county_fips)
-- The given counties that hex_county does not know (territory writes refuse
-- them). One primary-key probe of hex_county per county.
SELECT DISTINCT q.county_fips
FROM unnest(CAST(:county_fips AS text[])) AS q (county_fips)
WHERE NOT EXISTS (SELECT 1 FROM hex_county AS c WHERE c.county_fips = q.county_fips)
ORDER BY q.county_fips;
