-- name: insert_hex_terrain_state(session_id, tick, h3_index, terrain_type, state)*!
-- Per-hex terrain state of one tick (batched by the caller).
INSERT INTO hex_terrain_state (session_id, tick, h3_index, terrain_type, state)
VALUES (:session_id, :tick, :h3_index, :terrain_type, :state::jsonb);
