-- name: hex_latest_game(game_id)
-- Every hex_latest row of a game (the whole-game read), in index order.
-- The view joins the game's ~3,100 county rows to hex_base_county_idx and
-- that tick's activity rows.
SELECT * FROM hex_latest WHERE game_id = :game_id ORDER BY h3_index;
