-- name: hex_read_latest(game_id)
-- Every hex_latest row of a game, in h3_index order.
SELECT * FROM hex_latest WHERE game_id = :game_id ORDER BY h3_index;
