-- name: get_tick_log(session_id, tick)^
-- Replay metadata of one tick (primary key lookup); an RNG state stored as a
-- BLOB comes back as rng_state_bytes, JSON text as rng_state.
SELECT tick,
       CASE WHEN typeof(rng_state) = 'blob' THEN NULL ELSE rng_state END AS rng_state,
       CASE WHEN typeof(rng_state) = 'blob' THEN rng_state END AS rng_state_bytes,
       mutations, invariant_checks, wall_time_ms, system_timings
FROM tick_log
WHERE session_id = :session_id AND tick = :tick;
