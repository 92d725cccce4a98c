-- name: graph_order_keys#
-- Migration 0009: node_state and edge_state are keyed by graph order,
-- (session_id, tick, generation, ord), instead of node id and edge ends (see
-- ddl/pg/030_simulation_state.sql): a tick is appended at the right edge of
-- the index and read back in order without a sort. Every existing row keeps
-- its ord, which is unique within a tick's generation.

ALTER TABLE node_state DROP CONSTRAINT node_state_pkey;
ALTER TABLE node_state ADD CONSTRAINT node_state_pkey
    PRIMARY KEY (session_id, tick, generation, ord);
COMMENT ON TABLE node_state IS
    'Graph nodes of one tick, keyed and stored in graph order (ord). node_id is the id as text, unique within a tick; node_ref keeps the original id as JSON when it is not a string.';

ALTER TABLE edge_state DROP CONSTRAINT edge_state_pkey;
ALTER TABLE edge_state ADD CONSTRAINT edge_state_pkey
    PRIMARY KEY (session_id, tick, generation, ord);
COMMENT ON TABLE edge_state IS
    'Graph edges of one tick, keyed and stored in graph order (ord); (source_id, target_id) is unique within a tick; attributes as json.';
