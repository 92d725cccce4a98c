-- name: delete_hex_terrain_state(session_id, tick)!
-- Remove one tick's hex_terrain_state rows before they are written again (primary key prefix).
DELETE FROM hex_terrain_state WHERE session_id = :session_id AND tick = :tick;
