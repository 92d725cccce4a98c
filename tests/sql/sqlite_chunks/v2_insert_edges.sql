-- name: v2_insert_edges*!
-- Edge rows in the version-2 shape: one row per edge, positional parameters.
INSERT INTO edge_state (session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
