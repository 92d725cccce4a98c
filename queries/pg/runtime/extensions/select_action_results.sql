-- name: select_action_results(session_id, tick)
-- Action outcomes of one tick (primary key range).
SELECT action_id, outcome::text AS outcome
FROM action_result
WHERE session_id = :session_id AND tick = :tick
ORDER BY action_id;
