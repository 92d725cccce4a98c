-- name: insert_action_result(session_id, tick, ord, action_id, actor_id, action_type, success, outcome)*!
-- Action outcomes of one tick (batched by the caller), in the order given.
INSERT INTO action_result (session_id, tick, ord, action_id, actor_id, action_type, success, outcome)
VALUES (:session_id, :tick, :ord, :action_id, :actor_id, :action_type, :success, :outcome::json);
