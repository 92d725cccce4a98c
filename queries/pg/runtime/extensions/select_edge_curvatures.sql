-- name: select_edge_curvatures(session_id, tick)
-- Edge curvatures of one tick (primary key range).
SELECT source_id, target_id, curvature::text AS curvature
FROM edge_curvature
WHERE session_id = :session_id AND tick = :tick
ORDER BY source_id, target_id;
