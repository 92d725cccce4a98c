-- name: latest_hex_session(game_id)^
-- The newest session whose hex_latest is seeded (or the given one), with the
-- tick hex_latest shows and the session's name. hex_latest_head has one row
-- per seeded game (primary key); game_session's primary key serves the join.
SELECT h.game_id, h.tick, s.name
FROM hex_latest_head AS h
INNER JOIN game_session AS s ON s.session_id = h.game_id
WHERE (:game_id::uuid IS NULL OR h.game_id = :game_id::uuid)
ORDER BY s.created_at DESC, h.game_id
LIMIT 1;
