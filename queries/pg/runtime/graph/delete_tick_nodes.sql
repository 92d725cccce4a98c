-- name: delete_tick_nodes(session_id, tick, generation)!
-- Remove the nodes of a tick's previous write (its generation) before the
-- tick is written again under the next one. Naming the generation keeps the
-- index scan on the live rows: the dead entries of older generations, which
-- only VACUUM removes from the index, are not visited again on every replace
-- (at 100K nodes + 500K edges this halved the deletes). Deleting a tick or a
-- session (graph_snapshot_cascade) removes every generation.
DELETE FROM node_state
WHERE session_id = :session_id AND tick = :tick AND generation = :generation;
