-- name: select_action_results(session_id, tick)
-- Action outcomes of one tick in the order given (primary key range).
SELECT outcome::text AS outcome
FROM action_result
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
