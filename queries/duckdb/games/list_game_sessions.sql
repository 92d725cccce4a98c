-- name: list_game_sessions(status, game_mode, limit)
-- Game sessions, newest first (game_id breaks ties), optionally filtered by
-- status and game mode (a NULL parameter means "any"), at most :limit rows.
-- The optional filters make this a scan of game_sessions pruned by DuckDB's
-- zone maps; idx_game_status / idx_game_started_at serve point lookups only.
SELECT g AS session
FROM game_sessions AS g
WHERE (:status IS NULL OR g.status = :status)
  AND (:game_mode IS NULL OR g.game_mode = :game_mode)
ORDER BY g.started_at DESC, g.game_id DESC
LIMIT :limit;
