-- name: set_summary_recorded_at(session_id, tick, recorded_at)!
-- Test helper: give a tick_summary row another timestamp ('infinity' included).
UPDATE tick_summary
SET recorded_at = CAST(:recorded_at AS timestamptz)
WHERE session_id = :session_id AND tick = :tick;
