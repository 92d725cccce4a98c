-- name: save_game_session(game_id, scenario_config, master_seed, game_mode, config_json, started_at, started_at_utc, completed_at, completed_at_utc, status, optimized_agents, total_iterations, converged, final_cost)!
-- Insert a game session, or rewrite every column of the one with this game_id
-- (status and started_at included: they carry indexes, which INSERT OR REPLACE
-- skipped on DuckDB 1.2-1.5.0). Served by the primary key on game_id.
INSERT INTO game_sessions (
    game_id, scenario_config, master_seed, game_mode, config_json, started_at,
    started_at_utc, completed_at, completed_at_utc, status, optimized_agents, total_iterations, converged, final_cost
) VALUES (
    :game_id, :scenario_config, :master_seed, :game_mode, :config_json, :started_at,
    :started_at_utc, :completed_at, :completed_at_utc, :status, :optimized_agents, :total_iterations, :converged, :final_cost
)
ON CONFLICT (game_id) DO UPDATE SET
    scenario_config = excluded.scenario_config,
    master_seed = excluded.master_seed,
    game_mode = excluded.game_mode,
    config_json = excluded.config_json,
    started_at = excluded.started_at,
    started_at_utc = excluded.started_at_utc,
    completed_at = excluded.completed_at,
    completed_at_utc = excluded.completed_at_utc,
    status = excluded.status,
    optimized_agents = excluded.optimized_agents,
    total_iterations = excluded.total_iterations,
    converged = excluded.converged,
    final_cost = excluded.final_cost;
