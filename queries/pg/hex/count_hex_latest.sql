-- name: count_hex_latest(game_id)$
-- Number of hexes hex_latest shows for a game (seed_hex_latest's result):
-- the counties of the head tick plus the carried ones, joined to
-- hex_base_county_idx.
SELECT count(*)
FROM hex_latest_head AS h
CROSS JOIN LATERAL (
    SELECT t.county_fips FROM territory_snapshot AS t
    WHERE t.game_id = h.game_id AND t.tick = h.tick
    UNION ALL
    SELECT k.county_fips FROM hex_county_latest AS k
    WHERE k.game_id = h.game_id
) AS c
INNER JOIN hex_base AS b ON b.county_fips = c.county_fips
WHERE h.game_id = :game_id;
