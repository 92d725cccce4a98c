-- name: insert_hex_activity(game_id, tick, h3_index, heat)!
-- Test helper: one hex_activity row (bigint h3 index).
INSERT INTO hex_activity (game_id, tick, h3_index, heat)
VALUES (:game_id, :tick, :h3_index, :heat);
