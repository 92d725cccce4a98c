-- name: graph_generations#
-- Migration 0007: a replaced tick's rows are written under the next
-- generation (graph_snapshot.generation, part of the node_state and
-- edge_state primary keys), so a replace never meets the rows it deleted in
-- a unique check. Existing rows are generation 0.

ALTER TABLE graph_snapshot ADD COLUMN generation integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN graph_snapshot.generation IS
    'How many times the tick was persisted before this snapshot (0 the first time); its node_state and edge_state rows carry the same number.';

ALTER TABLE node_state ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE node_state DROP CONSTRAINT node_state_pkey;
ALTER TABLE node_state ADD CONSTRAINT node_state_pkey
    PRIMARY KEY (session_id, tick, generation, node_id);
COMMENT ON COLUMN node_state.generation IS
    'graph_snapshot.generation of the write that stored the row: a replaced tick''s new rows never meet its deleted ones in the primary key (no uniqueness checks against dead rows), and only one generation of a tick is ever visible.';

ALTER TABLE edge_state ADD COLUMN generation integer NOT NULL DEFAULT 0;
ALTER TABLE edge_state DROP CONSTRAINT edge_state_pkey;
ALTER TABLE edge_state ADD CONSTRAINT edge_state_pkey
    PRIMARY KEY (session_id, tick, generation, source_id, target_id);
COMMENT ON COLUMN edge_state.generation IS 'graph_snapshot.generation of the write that stored the row (see node_state.generation).';
