-- name: naive_sqlite_snapshot(session_id, tick)!
-- Baseline: the header row the foreign keys need.
INSERT OR IGNORE INTO graph_snapshot (session_id, tick, node_count, edge_count) VALUES (:session_id, :tick, 0, 0);
