-- name: uncarry_hex_county_latest(game_id, tick)!
-- Phase 1, second step: counties written at the new head :tick are read
-- from the head tick's rows, so their carried pointers go. Primary-key
-- probes of territory_snapshot for the game's carried counties (none when
-- every county writes every tick).
DELETE FROM hex_county_latest AS c
WHERE c.game_id = :game_id
    AND EXISTS (
        SELECT 1 FROM territory_snapshot AS t
        WHERE t.game_id = :game_id AND t.tick = :tick AND t.county_fips = c.county_fips
    );
