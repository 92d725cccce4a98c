-- name: arrow_agg_fixed#
-- Template: a fixed-width column as one array, NULL replaced by a zero of
-- its type (the NULL is carried by arrow_agg_nulls).
array_agg(coalesce(q.{column}, CAST({zero} AS {type})))
