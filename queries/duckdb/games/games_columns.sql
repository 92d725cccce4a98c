-- name: games_columns()
-- The columns of the games tables in the current schema (information_schema),
-- for DatabaseManager.validate_schema.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = current_schema()
  AND table_name IN ('game_sessions', 'policy_iterations');
