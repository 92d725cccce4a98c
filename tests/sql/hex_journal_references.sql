-- name: hex_copy_territory_to_game(game_id, to_game_id)!
-- Copies one game's territory rows to another game id (a DBA's INSERT).
INSERT INTO territory_snapshot (
    game_id, tick, county_fips, value_tensor, profit_rate, exploitation_rate, occ,
    imperial_rent, pop_total, mobilizable_pop, dominant_class, class_distribution
)
SELECT
    :to_game_id, tick, county_fips, value_tensor, profit_rate, exploitation_rate, occ,
    imperial_rent, pop_total, mobilizable_pop, dominant_class, class_distribution
FROM territory_snapshot
WHERE game_id = :game_id;

-- name: hex_copy_activity_to_game(game_id, to_game_id)!
-- Copies one game's activity rows to another game id (a DBA's INSERT).
INSERT INTO hex_activity (
    game_id, tick, h3_index, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, state
)
SELECT
    :to_game_id, tick, h3_index, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, state
FROM hex_activity
WHERE game_id = :game_id;

-- name: hex_move_activity_rows(game_id, to_game_id)!
-- Moves one game's activity rows to another game id (a DBA's UPDATE).
UPDATE hex_activity SET game_id = :to_game_id WHERE game_id = :game_id;

-- name: hex_move_territory_rows(game_id, to_game_id)!
-- Moves one game's territory rows to another game id (a DBA's UPDATE).
UPDATE territory_snapshot SET game_id = :to_game_id WHERE game_id = :game_id;

-- name: hex_change_session_id(game_id, to_game_id)!
-- Changes the id of a game (refused while journal rows name it).
UPDATE game_session SET session_id = :to_game_id WHERE session_id = :game_id;

-- name: hex_delete_game(game_id)!
-- Deletes one game_session row (its journal rows go with it).
DELETE FROM game_session WHERE session_id = :game_id;

-- name: hex_territory_tensor(game_id, tick, county_fips)$
-- The stored value_tensor of one county row.
SELECT value_tensor FROM territory_snapshot
WHERE game_id = :game_id AND tick = :tick AND county_fips = :county_fips;

-- name: hex_truncate_games#
-- Empties game_session and every table that names a game.
TRUNCATE game_session CASCADE;
