-- name: delete_hex_base(game_id)!
-- Drop a game's static hex rows before seed_hex_latest rebuilds them (the seed
-- is re-runnable). Primary-key prefix (game_id).
DELETE FROM hex_base
WHERE game_id = :game_id;
