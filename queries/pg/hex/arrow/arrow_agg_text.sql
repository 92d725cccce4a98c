-- name: arrow_agg_text#
-- Template: a variable-width column's text forms concatenated (UTF-8 on the
-- wire), in row order; NULL adds nothing.
coalesce(string_agg(CAST(q.{column} AS text), ''), '')
