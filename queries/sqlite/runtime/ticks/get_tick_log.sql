-- name: get_tick_log(session_id, tick)^
-- Replay metadata of one tick (primary key lookup).
SELECT tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings
FROM tick_log
WHERE session_id = :session_id AND tick = :tick;
