-- name: insert_community_state(session_id, tick, community_id, state)*!
-- Communities of one tick (batched by the caller).
INSERT INTO community_state (session_id, tick, community_id, state)
VALUES (:session_id, :tick, :community_id, :state::json);
