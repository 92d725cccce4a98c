-- name: get_policy_iterations(game_id, agent_id)
-- The policy iterations of a game, of one agent when :agent_id is not NULL,
-- ordered by agent then iteration number. Served by idx_iter_game /
-- idx_iter_agent for the equality on game_id (and agent_id).
SELECT p AS iteration
FROM policy_iterations AS p
WHERE p.game_id = :game_id
  AND (:agent_id IS NULL OR p.agent_id = :agent_id)
ORDER BY p.agent_id, p.iteration_number;
