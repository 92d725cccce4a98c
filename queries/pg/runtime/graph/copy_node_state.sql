-- name: copy_node_state#
-- Bulk load of one tick's nodes, binary COPY (attributes travel as their JSON
-- text, which is the binary form of json; the server checks it as it arrives).
-- copy-types: uuid, int4, int4, text, int4, text, text, text
COPY node_state (session_id, tick, generation, node_id, ord, node_ref, node_type, attributes)
FROM STDIN (FORMAT BINARY);
