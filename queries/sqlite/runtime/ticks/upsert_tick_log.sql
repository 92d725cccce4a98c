-- name: upsert_tick_log(session_id, tick, rng_state, rng_state_bytes, mutations, invariant_checks, wall_time_ms, system_timings)!
-- Replay metadata of one tick; logging the tick again replaces it. The RNG
-- state column keeps JSON text or a BLOB (bytes given); get_tick_log tells
-- them apart by storage class.
INSERT INTO tick_log (session_id, tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings)
VALUES (:session_id, :tick, coalesce(:rng_state_bytes, :rng_state), :mutations, :invariant_checks,
        :wall_time_ms, :system_timings)
ON CONFLICT (session_id, tick) DO UPDATE
SET rng_state = excluded.rng_state,
    mutations = excluded.mutations,
    invariant_checks = excluded.invariant_checks,
    wall_time_ms = excluded.wall_time_ms,
    system_timings = excluded.system_timings,
    logged_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
