-- name: copy_edge_state#
-- Bulk load of one tick's edges (psycopg COPY, text format).
COPY edge_state (session_id, tick, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes)
FROM STDIN;
