-- name: delete_default_traces(session_id)!
-- Delete the session's traces held by the default partition (a session
-- without a partition of its own). Served by the default partition's index.
DELETE FROM trace_log_default
WHERE session_id = :session_id;
