-- name: select_community_state(session_id, tick)
-- Communities of one tick by id (primary key range).
SELECT community_id, state::text AS state
FROM community_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY community_id;
