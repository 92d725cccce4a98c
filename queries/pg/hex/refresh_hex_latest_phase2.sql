-- name: refresh_hex_latest_phase2(game_id, tick)!
-- Phase 2, activity overlay: move the game's head to :tick. hex_latest joins
-- hex_activity at the head tick, so the hexes active now show their activity
-- and the hexes that went quiet show none, without rewriting any hex row.
-- One primary-key upsert of hex_latest_head.
INSERT INTO hex_latest_head (game_id, tick, refreshed_at)
VALUES (:game_id, :tick, now())
ON CONFLICT (game_id) DO UPDATE SET
    tick = excluded.tick,
    refreshed_at = excluded.refreshed_at;
