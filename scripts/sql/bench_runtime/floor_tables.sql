-- name: floor_tables#
-- The persist floor's tables: the same columns, types and primary keys as
-- node_state and edge_state (whatever the schema holds), nothing else.
CREATE TABLE floor_node_state (LIKE node_state INCLUDING ALL);
CREATE TABLE floor_edge_state (LIKE edge_state INCLUDING ALL);

-- The naive baseline's tables, shaped the same: node_state and edge_state,
-- like the floor's tables, then hold the benchmark session's rows only. (A
-- session whose keys are not the highest in a table inserts into the middle
-- of its index, not at the right edge: 22 % more time for a 10K-node tick's
-- COPY, 37 % at 100K, for the floor and the runtime alike.)
CREATE TABLE naive_node_state (LIKE node_state INCLUDING ALL);
CREATE TABLE naive_edge_state (LIKE edge_state INCLUDING ALL);
