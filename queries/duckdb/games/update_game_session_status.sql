-- name: update_game_session_status(game_id, status, completed_at, completed_at_utc, total_iterations, converged, final_cost)^
-- Set the status and whichever completion fields are given (a NULL parameter
-- keeps the stored value). Returns the game_id, or no row for an unknown game.
-- Served by the primary key on game_id.
UPDATE game_sessions SET
    status = :status,
    completed_at = coalesce(:completed_at, completed_at),
    completed_at_utc = coalesce(:completed_at_utc, completed_at_utc),
    total_iterations = coalesce(:total_iterations, total_iterations),
    converged = coalesce(:converged, converged),
    final_cost = coalesce(:final_cost, final_cost)
WHERE game_id = :game_id
RETURNING game_id;
