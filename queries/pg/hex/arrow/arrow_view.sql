-- name: arrow_view#
-- Template: every row of one game in a hex view ({view}: hex_latest or a
-- composition view), for the Arrow read path. No ORDER BY: a server sort of
-- 216K+ rows spills to disk under the default work_mem and costs more than
-- the whole join; view_arrow sorts the Arrow table by h3_index instead.
SELECT * FROM {view} WHERE game_id = :game_id
