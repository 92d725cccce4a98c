-- name: unknown_territory_counties(game_id, tick)
-- The counties of one tick's territory_snapshot rows that hex_county does
-- not know, checked by the writer right after its COPY, in the same
-- transaction (it raises and the transaction rolls back, so nothing is
-- written). One primary-key probe of hex_county per written row.
SELECT t.county_fips
FROM territory_snapshot AS t
LEFT JOIN LATERAL (
    SELECT 1 AS known
    FROM hex_county AS c
    WHERE c.county_fips = t.county_fips
    LIMIT 1
) AS c ON TRUE
WHERE t.game_id = :game_id AND t.tick = :tick AND c.known IS NULL
ORDER BY t.county_fips;
