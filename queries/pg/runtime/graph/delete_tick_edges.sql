-- name: delete_tick_edges(session_id, tick, generation)!
-- Remove the edges of a tick's previous write (its generation); see
-- delete_tick_nodes.
DELETE FROM edge_state
WHERE session_id = :session_id AND tick = :tick AND generation = :generation;
