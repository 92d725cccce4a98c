-- name: hostile_pg_row_counts()^
-- Row counts of every table a public entry point writes, to prove that a
-- refused call of the hostile-input matrix left nothing behind.
SELECT
    (SELECT count(*) FROM game_session) AS game_session,
    (SELECT count(*) FROM session_metadata) AS session_metadata,
    (SELECT count(*) FROM runtime_metadata) AS runtime_metadata,
    (SELECT count(*) FROM graph_snapshot) AS graph_snapshot,
    (SELECT count(*) FROM node_state) AS node_state,
    (SELECT count(*) FROM edge_state) AS edge_state,
    (SELECT count(*) FROM simulation_event) AS simulation_event,
    (SELECT count(*) FROM tick_log) AS tick_log,
    (SELECT count(*) FROM tick_summary) AS tick_summary,
    (SELECT count(*) FROM graph_metadata) AS graph_metadata,
    (SELECT count(*) FROM community_state) AS community_state,
    (SELECT count(*) FROM community_membership) AS community_membership,
    (SELECT count(*) FROM contradiction_field) AS contradiction_field,
    (SELECT count(*) FROM edge_curvature) AS edge_curvature,
    (SELECT count(*) FROM action_result) AS action_result,
    (SELECT count(*) FROM hex_terrain_state) AS hex_terrain_state,
    (SELECT count(*) FROM infrastructure_link_state) AS infrastructure_link_state,
    (SELECT count(*) FROM trace_log) AS trace_log,
    (SELECT count(*) FROM hex_map) AS hex_map,
    (SELECT count(*) FROM hex_substrate) AS hex_substrate,
    (SELECT count(*) FROM hex_base) AS hex_base,
    (SELECT count(*) FROM territory_snapshot) AS territory_snapshot,
    (SELECT count(*) FROM hex_activity) AS hex_activity,
    (SELECT count(*) FROM vector_collection) AS vector_collection,
    (SELECT count(*) FROM document_chunk) AS document_chunk;
