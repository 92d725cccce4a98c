-- name: naive_pg_snapshot(session_id, tick)!
-- Baseline: the header row the foreign keys need.
INSERT INTO graph_snapshot (session_id, tick, node_count, edge_count) VALUES (:session_id, :tick, 0, 0)
ON CONFLICT DO NOTHING;
