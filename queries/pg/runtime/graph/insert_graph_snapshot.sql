-- name: insert_graph_snapshot(session_id, tick, directed, graph_attrs, node_count, edge_count, generation)!
-- The header row of one persisted tick; generation numbers its node and edge rows.
INSERT INTO graph_snapshot (session_id, tick, directed, graph_attrs, node_count, edge_count, generation)
VALUES (:session_id, :tick, :directed, :graph_attrs::json, :node_count, :edge_count, :generation);
