-- name: insert_edge_state(session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)*!
-- The edges of one tick (batched by the caller, inside the tick's transaction).
INSERT INTO edge_state (session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
VALUES (:session_id, :tick, :source_id, :target_id, :ord, :source_ref, :target_ref, :edge_type, :attributes);
