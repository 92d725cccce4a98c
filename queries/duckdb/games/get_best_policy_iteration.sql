-- name: get_best_policy_iteration(game_id, agent_id)^
-- The accepted iteration of an agent with the lowest new_cost; among equal
-- costs the earliest iteration (lowest iteration_number) wins. Rejected
-- iterations never qualify. No row when the agent has no accepted iteration.
-- Served by idx_iter_agent (game_id, agent_id).
SELECT p AS iteration
FROM policy_iterations AS p
WHERE p.game_id = :game_id
  AND p.agent_id = :agent_id
  AND p.was_accepted
ORDER BY p.new_cost ASC, p.iteration_number ASC
LIMIT 1;
