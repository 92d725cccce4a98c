-- name: naive_sqlite_tables#
-- The naive baseline's tables: node_state and edge_state as the runtime
-- stored them row by row before schema version 3 (same columns, primary keys
-- and foreign keys), since the runtime now keeps chunks behind views.
CREATE TABLE naive_node_state (
    session_id TEXT NOT NULL, tick INTEGER NOT NULL, node_id TEXT NOT NULL, ord INTEGER NOT NULL,
    node_ref TEXT, node_type TEXT, attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, tick, node_id),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE naive_edge_state (
    session_id TEXT NOT NULL, tick INTEGER NOT NULL, source_id TEXT NOT NULL, target_id TEXT NOT NULL,
    ord INTEGER NOT NULL, source_ref TEXT, target_ref TEXT, edge_type TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (session_id, tick, source_id, target_id),
    FOREIGN KEY (session_id, tick) REFERENCES graph_snapshot (session_id, tick) ON DELETE CASCADE
) WITHOUT ROWID;
