-- name: delete_edge_curvature(session_id, tick)!
-- Remove one tick's edge_curvature rows before they are written again (primary key prefix).
DELETE FROM edge_curvature WHERE session_id = :session_id AND tick = :tick;
