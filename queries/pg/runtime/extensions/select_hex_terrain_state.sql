-- name: select_hex_terrain_state(session_id, tick)
-- Per-hex terrain state of one tick (primary key range).
SELECT h3_index, state::text AS state
FROM hex_terrain_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY h3_index;
