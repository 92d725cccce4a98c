-- name: insert_hex_activity*!
-- One active hex of a tick (executemany, at most 1,000 rows per call, inside
-- write_hex_activity's transaction).
INSERT INTO hex_activity (
    game_id, tick, h3_index, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, state
)
VALUES (
    :game_id, :tick, :h3_index, :heat, :heat_delta, :org_count, :org_presence, :actions_taken,
    :faction_control, :state
);
