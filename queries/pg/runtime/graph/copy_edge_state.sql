-- name: copy_edge_state#
-- Bulk load of one tick's edges, binary COPY (documents as JSON text, see
-- copy_node_state).
-- copy-types: uuid, int4, int4, text, text, int4, text, text, text, text
COPY edge_state (session_id, tick, generation, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
FROM STDIN (FORMAT BINARY);
