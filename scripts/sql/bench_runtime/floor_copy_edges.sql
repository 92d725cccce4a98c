-- name: floor_copy_edges#
-- Persist floor: binary COPY of the encoded edge rows, the columns of copy_edge_state.
-- copy-types: uuid, int4, int4, text, text, int4, text, text, text, text
COPY floor_edge_state (session_id, tick, generation, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
FROM STDIN (FORMAT BINARY);
