-- name: insert_edge_curvature(session_id, tick, source_id, target_id, curvature)*!
-- Edge curvatures of one tick (batched by the caller).
INSERT INTO edge_curvature (session_id, tick, source_id, target_id, curvature)
VALUES (:session_id, :tick, :source_id, :target_id, :curvature::json);
