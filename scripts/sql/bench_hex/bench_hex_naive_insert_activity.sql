-- name: bench_hex_naive_insert_activity*!
-- Baseline journal write: one active hex of a tick through executemany (at most
-- 1,000 rows per call, one transaction).
INSERT INTO hex_activity (
    game_id, tick, h3_index, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, state
)
VALUES (
    :game_id, :tick, :h3_index, :heat, :heat_delta, :org_count, :org_presence, :actions_taken,
    :faction_control, :state
);
