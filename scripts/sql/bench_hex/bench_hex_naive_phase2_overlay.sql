-- name: bench_hex_naive_phase2_overlay(game_id, tick)!
-- Baseline phase 2a: overlay this tick's activity rows onto the hex rows.
UPDATE hex_latest_naive AS h
SET
    heat = a.heat,
    heat_delta = a.heat_delta,
    org_count = a.org_count,
    org_presence = a.org_presence,
    actions_taken = a.actions_taken,
    faction_control = a.faction_control,
    activity_tick = a.tick
FROM hex_activity AS a
WHERE a.game_id = :game_id AND a.tick = :tick
    AND h.game_id = :game_id AND h.h3_index = a.h3_index;
