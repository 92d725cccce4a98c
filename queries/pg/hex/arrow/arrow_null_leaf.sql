-- name: arrow_null_leaf#
-- Template: a leaf of arrow_null_bit, the bits ({bits}) of the NULL columns
-- of its group.
CAST({bits} AS bigint)
