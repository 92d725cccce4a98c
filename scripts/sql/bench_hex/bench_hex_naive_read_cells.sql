-- name: bench_hex_naive_read_cells(game_id, low, high)
-- Viewport by H3 parent cell from the baseline table (primary-key range).
SELECT * FROM hex_latest_naive
WHERE game_id = :game_id AND h3_index BETWEEN :low AND :high
ORDER BY h3_index;
