-- name: arrow_agg_text#
-- Template: any other column as one bytea, the text form of each non-NULL
-- value (UTF-8 on the wire) in row order, separated by one zero byte (which
-- no text value holds); NULLs add nothing (arrow_agg_nulls says where they
-- are). The client finds the separators with numpy: no lengths are sent.
string_agg(textsend(CAST(q.{column} AS text)), CAST('\x00' AS bytea))
