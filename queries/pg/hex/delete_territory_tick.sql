-- name: delete_territory_tick(game_id, tick)!
-- Remove one tick's county rows before write_territory_snapshot rewrites it.
-- Primary-key range (game_id, tick).
DELETE FROM territory_snapshot
WHERE game_id = :game_id AND tick = :tick;
