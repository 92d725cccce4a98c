-- name: hex_latest_head_tick(game_id)$
-- The tick hex_latest currently shows for a game, NULL if it was never seeded.
-- Primary key of hex_latest_head.
SELECT tick
FROM hex_latest_head
WHERE game_id = :game_id;
