-- name: get_session(session_id)^
-- One session by id (primary key), with the original engine's column names;
-- current_tick is the latest persisted tick (graph_snapshot primary key), 0 before any.
SELECT s.session_id AS id, s.player_id, s.name AS scenario,
       coalesce((SELECT max(g.tick) FROM graph_snapshot AS g WHERE g.session_id = s.session_id), 0)
           AS current_tick,
       s.status, s.config AS config_json, s.game_defines AS game_defines_json, s.trace_level,
       s.rng_seed, s.created_at, s.updated_at, s.ended_at, s.end_tick
FROM game_session AS s
WHERE s.session_id = :session_id;
