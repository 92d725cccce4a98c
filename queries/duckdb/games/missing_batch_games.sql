-- name: missing_batch_games()
-- The game_ids of the registered Arrow relation policy_iteration_batch that no
-- game_sessions row carries (save_policy_iterations refuses the batch then).
-- A hash anti-join of the batch with game_sessions (primary key column).
SELECT DISTINCT b.game_id
FROM policy_iteration_batch AS b
ANTI JOIN game_sessions AS g ON g.game_id = b.game_id
ORDER BY b.game_id;
