-- name: latest_tick(session_id)$
-- The newest persisted tick of a session (graph_snapshot primary key).
SELECT max(tick) FROM graph_snapshot WHERE session_id = :session_id;
