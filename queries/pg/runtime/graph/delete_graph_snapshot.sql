-- name: delete_graph_snapshot(session_id, tick)!
-- Remove the header of one tick (its rows were deleted just before).
DELETE FROM graph_snapshot WHERE session_id = :session_id AND tick = :tick;
