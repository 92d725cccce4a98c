-- name: save_policy_iteration(game_id, agent_id, iteration_number, trigger_tick, old_policy_json, new_policy_json, old_cost, new_cost, cost_improvement, was_accepted, validation_errors, llm_model, llm_latency_seconds, tokens_used, created_at, created_at_utc)^
-- Insert one policy iteration, or rewrite every column of the one with the
-- same (game_id, agent_id, iteration_number), provided the game exists.
-- Returns the game_id, or no row when no game_sessions row has that game_id
-- (nothing is written then). Served by the primary keys of both tables.
INSERT INTO policy_iterations (
    game_id, agent_id, iteration_number, trigger_tick, old_policy_json,
    new_policy_json, old_cost, new_cost, cost_improvement, was_accepted,
    validation_errors, llm_model, llm_latency_seconds, tokens_used, created_at, created_at_utc
)
SELECT
    :game_id, :agent_id, :iteration_number, :trigger_tick, :old_policy_json,
    :new_policy_json, :old_cost, :new_cost, :cost_improvement, :was_accepted,
    :validation_errors, :llm_model, :llm_latency_seconds, :tokens_used, :created_at, :created_at_utc
WHERE EXISTS (SELECT 1 FROM game_sessions AS g WHERE g.game_id = :game_id)
ON CONFLICT (game_id, agent_id, iteration_number) DO UPDATE SET
    trigger_tick = excluded.trigger_tick,
    old_policy_json = excluded.old_policy_json,
    new_policy_json = excluded.new_policy_json,
    old_cost = excluded.old_cost,
    new_cost = excluded.new_cost,
    cost_improvement = excluded.cost_improvement,
    was_accepted = excluded.was_accepted,
    validation_errors = excluded.validation_errors,
    llm_model = excluded.llm_model,
    llm_latency_seconds = excluded.llm_latency_seconds,
    tokens_used = excluded.tokens_used,
    created_at = excluded.created_at,
    created_at_utc = excluded.created_at_utc
RETURNING game_id;
