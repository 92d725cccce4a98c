-- name: hex_latest_cells(game_id, low, high)
-- Viewport: the hex_latest rows whose index lies in [:low, :high]. For an
-- H3 parent cell the caller passes the range of its descendants at the
-- hexes' resolution (every cell of that resolution in the range descends
-- from it), so this is one range scan of the hex_base primary key.
SELECT * FROM hex_latest
WHERE game_id = :game_id AND h3_index BETWEEN :low AND :high
ORDER BY h3_index;
