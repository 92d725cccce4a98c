-- name: insert_node_chunk(session_id, tick, first_ord, nodes)!
-- One chunk of a tick's nodes: up to 1,000 in graph order as one JSON array
-- of [id, attributes], first_ord the position of its first node. The client
-- passes the encoded UTF-8 bytes, stored as text without a decode in Python.
INSERT INTO node_chunk (session_id, tick, first_ord, nodes)
VALUES (:session_id, :tick, :first_ord, CAST(:nodes AS TEXT));
