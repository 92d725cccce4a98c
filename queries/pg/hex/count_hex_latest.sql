-- name: count_hex_latest(game_id)$
-- Number of hexes hex_latest shows for a game (seed_hex_latest's result).
-- hex_base primary-key prefix joined to the game's ~3,100 county rows.
SELECT count(*)
FROM hex_base AS b
INNER JOIN hex_county_latest AS c ON c.game_id = b.game_id AND c.county_fips = b.county_fips
WHERE b.game_id = :game_id;
