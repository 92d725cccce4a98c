-- name: get_tick_log(session_id, tick)^
-- Replay metadata of one tick (primary key lookup); json as text, bytes as bytea.
SELECT tick, rng_state::text AS rng_state, rng_state_bytes, mutations::text AS mutations,
       invariant_checks::text AS invariant_checks, wall_time_ms,
       system_timings::text AS system_timings
FROM tick_log
WHERE session_id = :session_id AND tick = :tick;
