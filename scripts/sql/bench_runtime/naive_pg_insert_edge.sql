-- name: naive_pg_insert_edge(session_id, tick, source_id, target_id, ord, attributes)!
-- Baseline: one INSERT per edge, the row-at-a-time way.
INSERT INTO naive_edge_state (session_id, tick, source_id, target_id, ord, attributes)
VALUES (:session_id, :tick, :source_id, :target_id, :ord, :attributes::json);
