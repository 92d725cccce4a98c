-- name: delete_hex_activity_tick(game_id, tick)!
-- Remove one tick's activity rows before write_hex_activity rewrites it.
-- Primary-key range (game_id, tick).
DELETE FROM hex_activity
WHERE game_id = :game_id AND tick = :tick;
