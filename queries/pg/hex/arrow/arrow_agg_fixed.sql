-- name: arrow_agg_fixed#
-- Template: a fixed-width column as one bytea, the binary form of each
-- non-NULL value ({send}: the type's send function) concatenated in row
-- order; NULLs add nothing (arrow_agg_nulls says where they are). One bytea
-- is sent as is, where an array would go through the send function again
-- element by element with a length word each.
string_agg({send}(q.{column}), CAST('' AS bytea))
