-- name: insert_tick_summary(session_id, tick, summary)!
-- Test helper: one tick_summary row; summary is JSON text (its column type is inferred).
INSERT INTO tick_summary (session_id, tick, summary, recorded_at)
VALUES (:session_id, :tick, :summary, '2026-01-02 03:04:05.123456+00');
