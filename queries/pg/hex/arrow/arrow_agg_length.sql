-- name: arrow_agg_length#
-- Template: the byte length of each row's text form of a column, -1 for NULL
-- (the offsets into arrow_agg_text).
array_agg(coalesce(octet_length(CAST(q.{column} AS text)), -1))
