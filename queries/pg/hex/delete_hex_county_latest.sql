-- name: delete_hex_county_latest(game_id)!
-- Empty a game's county cache before a full rebuild (seed, or a refresh to a
-- tick at or before the current head). Primary-key prefix (game_id).
DELETE FROM hex_county_latest
WHERE game_id = :game_id;
