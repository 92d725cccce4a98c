-- name: bench_hex_read_heat(game_id)
-- Heat layer: v_hex_heat of a game.
SELECT * FROM v_hex_heat WHERE game_id = :game_id;
