-- name: create_session(name, status, config, game_defines, rng_seed, trace_level, player_id)$
-- Create a game session and return its id (babylon_uuid_v7(): time-ordered).
-- Both call forms of PostgresRuntime.create_session arrive here normalised.
INSERT INTO game_session (name, status, config, game_defines, rng_seed, trace_level, player_id)
VALUES (:name, :status, :config::jsonb, :game_defines::jsonb, :rng_seed, :trace_level, :player_id)
RETURNING session_id;
