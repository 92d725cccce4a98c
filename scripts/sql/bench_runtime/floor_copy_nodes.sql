-- name: floor_copy_nodes#
-- Persist floor: binary COPY of the encoded node rows, the columns of copy_node_state.
-- copy-types: uuid, int4, int4, text, int4, text, text, text
COPY floor_node_state (session_id, tick, generation, node_id, ord, node_ref, node_type, attributes)
FROM STDIN (FORMAT BINARY);
