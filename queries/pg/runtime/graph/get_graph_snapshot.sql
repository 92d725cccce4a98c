-- name: get_graph_snapshot(session_id, tick)
-- The header of one tick; graph_attrs as the text that was written, and the
-- generation its node_state and edge_state rows carry.
SELECT tick, directed, graph_attrs::text AS graph_attrs, node_count, edge_count, persisted_at,
       generation
FROM graph_snapshot
WHERE session_id = :session_id AND tick = :tick;
