-- name: count_graph_rows(session_id)
-- How many snapshot, node, edge and event rows a session has (primary key
-- prefixes); a diagnostic for DBAs and for the cascade tests.
SELECT (SELECT count(*) FROM graph_snapshot WHERE session_id = :session_id) AS snapshots,
       (SELECT count(*) FROM node_state WHERE session_id = :session_id) AS nodes,
       (SELECT count(*) FROM edge_state WHERE session_id = :session_id) AS edges,
       (SELECT count(*) FROM simulation_event WHERE session_id = :session_id) AS events;
