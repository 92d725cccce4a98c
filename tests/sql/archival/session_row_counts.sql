-- name: session_row_counts(session_id)^
-- Test helper: rows of one session in the tables the archival tests fill.
SELECT (SELECT count(*) FROM game_session WHERE session_id = :session_id) AS game_session,
       (SELECT count(*) FROM session_metadata WHERE session_id = :session_id) AS session_metadata,
       (SELECT count(*) FROM graph_snapshot WHERE session_id = :session_id) AS graph_snapshot,
       (SELECT count(*) FROM simulation_event WHERE session_id = :session_id) AS simulation_event,
       (SELECT count(*) FROM tick_summary WHERE session_id = :session_id) AS tick_summary,
       (SELECT count(*) FROM territory_snapshot WHERE game_id = :session_id) AS territory_snapshot,
       (SELECT count(*) FROM hex_activity WHERE game_id = :session_id) AS hex_activity,
       (SELECT count(*) FROM trace_log WHERE session_id = :session_id) AS trace_log;
