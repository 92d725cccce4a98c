-- name: vacuum_tables#
-- What autovacuum would have done during a round (quiet_tables), in one
-- statement: VACUUM runs outside a transaction, on an autocommit connection.
VACUUM node_state, edge_state, graph_snapshot, floor_node_state, floor_edge_state,
naive_node_state, naive_edge_state;
