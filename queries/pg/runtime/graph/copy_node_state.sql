-- name: copy_node_state#
-- Bulk load of one tick's nodes (psycopg COPY, text format).
COPY node_state (session_id, tick, node_id, ord, node_ref, node_type, attributes) FROM STDIN;
