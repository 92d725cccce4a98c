-- name: insert_edge_curvature(session_id, tick, source_id, target_id, ord, curvature)*!
-- Edge curvature rows of one tick (batched by the caller); curvature is the whole row as JSON.
INSERT INTO edge_curvature (session_id, tick, source_id, target_id, ord, curvature)
VALUES (:session_id, :tick, :source_id, :target_id, :ord, :curvature::json);
