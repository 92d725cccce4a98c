-- name: v2_insert_nodes*!
-- Node rows in the version-2 shape: one row per node, positional parameters.
INSERT INTO node_state (session_id, tick, node_id, ord, node_ref, node_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?);
