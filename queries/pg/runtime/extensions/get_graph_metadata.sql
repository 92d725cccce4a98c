-- name: get_graph_metadata(session_id, tick)^
-- Graph-level metadata of one tick as text (primary key lookup).
SELECT economy::text AS economy, state_finances::text AS state_finances,
       tick_dynamics::text AS tick_dynamics
FROM graph_metadata
WHERE session_id = :session_id AND tick = :tick;
