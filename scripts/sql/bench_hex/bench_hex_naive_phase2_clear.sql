-- name: bench_hex_naive_phase2_clear(game_id, tick)!
-- Baseline phase 2b: clear the hexes that went quiet (active before, not now),
-- which the design's phase 2 forgot.
UPDATE hex_latest_naive
SET
    heat = 0, heat_delta = 0, org_count = 0, org_presence = 0, actions_taken = 0,
    faction_control = '{}'::jsonb, activity_tick = NULL
WHERE game_id = :game_id AND activity_tick IS NOT NULL AND activity_tick <> :tick;
