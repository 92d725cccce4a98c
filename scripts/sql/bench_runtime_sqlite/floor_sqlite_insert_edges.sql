-- name: floor_sqlite_insert_edges*!
-- SQLite persist floor: the encoded edge rows, positional, in batches.
INSERT INTO floor_edge_state (session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);
