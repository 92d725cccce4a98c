-- name: floor_tables#
-- The persist floor's tables: the same columns, types and primary keys as
-- node_state and edge_state (whatever the schema holds), nothing else.
CREATE TABLE floor_node_state (LIKE node_state INCLUDING ALL);
CREATE TABLE floor_edge_state (LIKE edge_state INCLUDING ALL);
