-- name: upsert_tick_log(session_id, tick, rng_state, rng_state_bytes, mutations, invariant_checks, wall_time_ms, system_timings)!
-- Replay metadata of one tick; logging the tick again replaces it. The RNG
-- state is a JSON document (rng_state) or bytes (rng_state_bytes), never both.
INSERT INTO tick_log (session_id, tick, rng_state, rng_state_bytes, mutations, invariant_checks,
                      wall_time_ms, system_timings)
VALUES (:session_id, :tick, :rng_state::json, :rng_state_bytes, :mutations::json,
        :invariant_checks::json, :wall_time_ms, :system_timings::json)
ON CONFLICT (session_id, tick) DO UPDATE
SET rng_state = excluded.rng_state,
    rng_state_bytes = excluded.rng_state_bytes,
    mutations = excluded.mutations,
    invariant_checks = excluded.invariant_checks,
    wall_time_ms = excluded.wall_time_ms,
    system_timings = excluded.system_timings,
    logged_at = now();
