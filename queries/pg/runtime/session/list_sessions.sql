-- name: list_sessions(status, lim)
-- Sessions, newest first, optionally of one status, at most lim (NULL: all)
-- (game_session_status_created_idx serves the filtered form; current_tick as in get_session).
SELECT s.session_id AS id, s.player_id, s.name AS scenario,
       coalesce((SELECT max(g.tick) FROM graph_snapshot AS g WHERE g.session_id = s.session_id), 0)
           AS current_tick,
       s.status, s.config AS config_json, s.game_defines AS game_defines_json, s.trace_level,
       s.rng_seed, s.created_at, s.updated_at, s.ended_at, s.end_tick
FROM game_session AS s
WHERE (:status::text IS NULL OR s.status = :status::text)
ORDER BY s.created_at DESC, s.session_id
LIMIT :lim;
