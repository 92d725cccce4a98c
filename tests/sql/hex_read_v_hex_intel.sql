-- name: hex_read_v_hex_intel(game_id)
-- Every v_hex_intel row of a game, in h3_index order.
SELECT * FROM v_hex_intel WHERE game_id = :game_id ORDER BY h3_index;
