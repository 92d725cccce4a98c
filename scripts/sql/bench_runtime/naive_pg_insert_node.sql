-- name: naive_pg_insert_node(session_id, tick, node_id, ord, attributes)!
-- Baseline: one INSERT per node, the row-at-a-time way.
INSERT INTO naive_node_state (session_id, tick, node_id, ord, attributes)
VALUES (:session_id, :tick, :node_id, :ord, :attributes::json);
