-- name: count_hex_latest(game_id)$
-- Number of hexes hex_latest shows for a game (seed_hex_latest's result):
-- the game's ~3,100 county rows joined to hex_base_county_idx.
SELECT count(*)
FROM hex_county_latest AS c
INNER JOIN hex_base AS b ON b.county_fips = c.county_fips
WHERE c.game_id = :game_id;
