-- name: insert_action_result(session_id, tick, action_id, actor_id, action_type, success, outcome)*!
-- Action outcomes of one tick (batched by the caller).
INSERT INTO action_result (session_id, tick, action_id, actor_id, action_type, success, outcome)
VALUES (:session_id, :tick, :action_id, :actor_id, :action_type, :success, :outcome::jsonb);
