-- name: upsert_tick_summary(session_id, tick, summary)!
-- Pre-aggregated summary of one tick; persisting it again replaces it.
INSERT INTO tick_summary (session_id, tick, summary) VALUES (:session_id, :tick, :summary::json)
ON CONFLICT (session_id, tick) DO UPDATE SET summary = excluded.summary, recorded_at = now();
