-- name: insert_edge_chunk(session_id, tick, first_ord, edges)!
-- One chunk of a tick's edges: up to 1,000 in graph order as one JSON array
-- of [source, target, attributes] (see insert_node_chunk).
INSERT INTO edge_chunk (session_id, tick, first_ord, edges)
VALUES (:session_id, :tick, :first_ord, CAST(:edges AS TEXT));
