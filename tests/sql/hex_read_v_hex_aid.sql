-- name: hex_read_v_hex_aid(game_id)
-- Every v_hex_aid row of a game, in h3_index order.
SELECT * FROM v_hex_aid WHERE game_id = :game_id ORDER BY h3_index;
