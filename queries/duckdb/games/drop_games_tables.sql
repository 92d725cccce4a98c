-- name: drop_games_tables#
-- Drop the games tables (initialize_schema(force_recreate=True)); every game is lost.
DROP TABLE IF EXISTS policy_iterations;
DROP TABLE IF EXISTS game_sessions;
