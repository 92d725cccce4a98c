-- name: save_policy_iteration_batch()!
-- Upsert every row of the registered Arrow relation policy_iteration_batch,
-- in one statement (all rows or none). The batch holds each key once:
-- save_policy_iterations keeps the last record of a key, as saving them one by
-- one would (DuckDB would not update one row twice in a statement).
-- Conflicts are found through the primary key of policy_iterations.
INSERT INTO policy_iterations (
    game_id, agent_id, iteration_number, trigger_tick, old_policy_json,
    new_policy_json, old_cost, new_cost, cost_improvement, was_accepted,
    validation_errors, llm_model, llm_latency_seconds, tokens_used, created_at, created_at_utc
)
SELECT
    b.game_id, b.agent_id, b.iteration_number, b.trigger_tick, b.old_policy_json,
    b.new_policy_json, b.old_cost, b.new_cost, b.cost_improvement, b.was_accepted,
    b.validation_errors, b.llm_model, b.llm_latency_seconds, b.tokens_used, b.created_at, b.created_at_utc
FROM policy_iteration_batch AS b
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
    created_at_utc = excluded.created_at_utc;
