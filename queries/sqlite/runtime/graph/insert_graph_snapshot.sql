-- name: insert_graph_snapshot(session_id, tick, directed, graph_attrs, node_count, edge_count)!
-- The header row of one persisted tick.
INSERT INTO graph_snapshot (session_id, tick, directed, graph_attrs, node_count, edge_count)
VALUES (:session_id, :tick, :directed, :graph_attrs, :node_count, :edge_count);
