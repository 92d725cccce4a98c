-- name: v2_insert_snapshot(session_id, tick, graph_attrs, node_count, edge_count)!
-- A tick header written through the version-2 schema (row per node and edge).
INSERT INTO graph_snapshot (session_id, tick, graph_attrs, node_count, edge_count)
VALUES (:session_id, :tick, :graph_attrs, :node_count, :edge_count);
