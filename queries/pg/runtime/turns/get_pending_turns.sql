-- name: get_pending_turns(session_id, tick)
-- Unresolved turns of one tick, in submission order (game_turn_one_per_org
-- serves the (session_id, tick) prefix).
SELECT turn_id AS id, session_id, tick, org_id, verb, action_type, target_id, target_community,
       params::text AS params_json, submitted_at, resolved
FROM game_turn
WHERE session_id = :session_id AND tick = :tick AND NOT resolved
ORDER BY submitted_at, turn_id;
