-- name: select_infrastructure_link_state(session_id, tick)
-- Infrastructure link state of one tick (primary key range).
SELECT link_id, state::text AS state
FROM infrastructure_link_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY link_id;
