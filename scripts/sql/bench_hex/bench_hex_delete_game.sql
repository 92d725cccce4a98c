-- name: bench_hex_delete_game(game_id)!
-- Drop the game the naive journal writes went to (its rows cascade), so that
-- the storage figures count one game's session.
DELETE FROM game_session WHERE session_id = :game_id;
