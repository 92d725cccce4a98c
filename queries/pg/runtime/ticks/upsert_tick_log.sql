-- name: upsert_tick_log(session_id, tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings)!
-- Replay metadata of one tick; logging the tick again replaces it.
INSERT INTO tick_log (session_id, tick, rng_state, mutations, invariant_checks, wall_time_ms, system_timings)
VALUES (:session_id, :tick, :rng_state::json, :mutations::json, :invariant_checks::json,
        :wall_time_ms, :system_timings::json)
ON CONFLICT (session_id, tick) DO UPDATE
SET rng_state = excluded.rng_state,
    mutations = excluded.mutations,
    invariant_checks = excluded.invariant_checks,
    wall_time_ms = excluded.wall_time_ms,
    system_timings = excluded.system_timings,
    logged_at = now();
