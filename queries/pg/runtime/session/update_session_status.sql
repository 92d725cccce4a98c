-- name: update_session_status(session_id, status, end_tick)!
-- Set a session's status; end_tick only when given. Terminal states stamp ended_at.
UPDATE game_session
SET status = :status,
    end_tick = coalesce(:end_tick::integer, end_tick),
    ended_at = CASE WHEN :status IN ('completed', 'failed', 'aborted') THEN now() ELSE ended_at END,
    updated_at = now()
WHERE session_id = :session_id;
