-- name: delete_tick_traces(session_id, tick)!
-- Remove the traces of one tick before they are written again, so that
-- persisting a tick twice replaces it. Served by trace_log_session_tick_idx.
DELETE FROM trace_log
WHERE session_id = :session_id AND tick = :tick;
