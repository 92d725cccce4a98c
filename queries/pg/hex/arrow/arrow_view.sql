-- name: arrow_view#
-- Template: every row of one game in a hex view ({view}: hex_latest or a
-- composition view), in index order, for the Arrow read path.
SELECT * FROM {view} WHERE game_id = :game_id ORDER BY h3_index
