-- name: submit_turn(session_id, tick, org_id, verb, action_type, target_id, target_community, params)$
-- Record an organisation's turn for a tick and return its id; no row when
-- that organisation already submitted one for the tick (game_turn_one_per_org).
INSERT INTO game_turn (session_id, tick, org_id, verb, action_type, target_id, target_community, params)
VALUES (:session_id, :tick, :org_id, :verb, :action_type, :target_id, :target_community, :params::json)
ON CONFLICT ON CONSTRAINT game_turn_one_per_org DO NOTHING
RETURNING turn_id;
