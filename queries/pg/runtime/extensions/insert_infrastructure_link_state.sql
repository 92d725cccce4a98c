-- name: insert_infrastructure_link_state(session_id, tick, link_id, source_id, target_id, capacity, condition, state)*!
-- Infrastructure link state of one tick (batched by the caller).
INSERT INTO infrastructure_link_state (session_id, tick, link_id, source_id, target_id, capacity, condition, state)
VALUES (:session_id, :tick, :link_id, :source_id, :target_id, :capacity, :condition, :state::jsonb);
