-- name: analyze_graph#
-- Fresh statistics after the bulk loads, as autovacuum would give them.
ANALYZE node_state;
ANALYZE edge_state;
ANALYZE naive_node_state;
ANALYZE naive_edge_state;
