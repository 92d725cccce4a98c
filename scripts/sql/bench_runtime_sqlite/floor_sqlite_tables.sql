-- name: floor_sqlite_tables#
-- The SQLite persist floor's tables: node_state and edge_state's columns and
-- primary keys, without foreign keys.
CREATE TABLE floor_node_state (
    session_id TEXT NOT NULL, tick INTEGER NOT NULL, node_id TEXT NOT NULL, ord INTEGER NOT NULL,
    node_ref TEXT, node_type TEXT, attributes TEXT NOT NULL,
    PRIMARY KEY (session_id, tick, node_id)
) WITHOUT ROWID;
CREATE TABLE floor_edge_state (
    session_id TEXT NOT NULL, tick INTEGER NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL,
    ord INTEGER NOT NULL, source_ref TEXT, target_ref TEXT, edge_type TEXT, attributes TEXT NOT NULL,
    PRIMARY KEY (session_id, tick, source_id, target_id)
) WITHOUT ROWID;
