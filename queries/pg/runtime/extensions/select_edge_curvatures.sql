-- name: select_edge_curvatures(session_id, tick)
-- Edge curvature rows of one tick in the order given (primary key range).
SELECT curvature::text AS curvature
FROM edge_curvature
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
