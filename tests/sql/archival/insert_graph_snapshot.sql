-- name: insert_graph_snapshot(session_id, tick)!
-- Test helper: the header of one persisted tick (parent of simulation_event).
INSERT INTO graph_snapshot (session_id, tick, node_count, edge_count)
VALUES (:session_id, :tick, 0, 0);
