-- name: insert_edge_state*!
-- The edges of one tick (batched by the caller, inside the tick's transaction).
-- Positional parameters, one tuple per edge in the column order below (see
-- insert_node_state for why).
INSERT INTO edge_state (session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
