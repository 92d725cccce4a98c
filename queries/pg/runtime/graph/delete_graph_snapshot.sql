-- name: delete_graph_snapshot(session_id, tick)$
-- Remove the header of one tick (its rows were deleted just before) and give
-- its generation, or NULL when the tick was never persisted (primary key).
DELETE FROM graph_snapshot WHERE session_id = :session_id AND tick = :tick
RETURNING generation;
