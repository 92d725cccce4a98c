-- name: insert_node_state(session_id, tick, node_id, ord, node_ref, node_type, attributes)*!
-- The nodes of one tick (batched by the caller, inside the tick's transaction).
INSERT INTO node_state (session_id, tick, node_id, ord, node_ref, node_type, attributes)
VALUES (:session_id, :tick, :node_id, :ord, :node_ref, :node_type, :attributes);
