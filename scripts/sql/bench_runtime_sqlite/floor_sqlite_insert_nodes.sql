-- name: floor_sqlite_insert_nodes*!
-- SQLite persist floor: the encoded node rows, positional, in batches.
INSERT INTO floor_node_state (session_id, tick, node_id, ord, node_ref, node_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?);
