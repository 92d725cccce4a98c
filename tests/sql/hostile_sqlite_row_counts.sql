-- name: hostile_sqlite_row_counts()^
-- Row counts of every table of a SQLite run file, to prove that a refused
-- call of the hostile-input matrix left nothing behind.
SELECT
    (SELECT count(*) FROM graph_snapshot) AS graph_snapshot,
    (SELECT count(*) FROM node_state) AS node_state,
    (SELECT count(*) FROM edge_state) AS edge_state,
    (SELECT count(*) FROM simulation_event) AS simulation_event,
    (SELECT count(*) FROM tick_log) AS tick_log,
    (SELECT count(*) FROM tick_summary) AS tick_summary,
    (SELECT count(*) FROM metadata) AS metadata,
    (SELECT count(*) FROM session_metadata) AS session_metadata;
