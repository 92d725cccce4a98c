-- name: get_optimization_summary(game_id)^
-- Totals over a game's policy iterations (zeros when it has none), or no row
-- for an unknown game. total_cost_improvement sums accepted iterations only:
-- a rejected proposal improved nothing. Tokens and latency count every
-- iteration (they were spent either way). Served by the primary key of
-- game_sessions and idx_iter_game.
SELECT {
    'total_iterations': count(p.game_id)::BIGINT,
    'accepted_iterations': count(p.game_id) FILTER (WHERE p.was_accepted)::BIGINT,
    'rejected_iterations': count(p.game_id) FILTER (WHERE NOT p.was_accepted)::BIGINT,
    'total_cost_improvement':
        coalesce(sum(p.cost_improvement) FILTER (WHERE p.was_accepted), 0)::DOUBLE,
    'total_tokens_used': coalesce(sum(p.tokens_used), 0)::BIGINT,
    'total_llm_latency': coalesce(sum(p.llm_latency_seconds), 0)::DOUBLE
} AS summary
FROM game_sessions AS g
LEFT JOIN policy_iterations AS p ON p.game_id = g.game_id
WHERE g.game_id = :game_id
GROUP BY g.game_id;
