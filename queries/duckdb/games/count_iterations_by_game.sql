-- name: count_iterations_by_game()
-- The number of stored policy iterations of every game that has any
-- (`babylon-sql games list` shows it instead of the session's
-- total_iterations field, which the caller fills). One hash aggregate over
-- the game_id column of policy_iterations.
SELECT game_id, count(*) AS iterations
FROM policy_iterations
GROUP BY game_id;
