-- name: territory_tick_exists(game_id, tick)$
-- Whether the game has any territory_snapshot row at :tick (the seed needs
-- tick 0). Primary-key prefix (game_id, tick).
SELECT EXISTS (
    SELECT 1 FROM territory_snapshot
    WHERE game_id = :game_id AND tick = :tick
);
