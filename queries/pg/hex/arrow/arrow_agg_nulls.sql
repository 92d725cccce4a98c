-- name: arrow_agg_nulls#
-- Template: one bigint per row, the bitmask of its NULL columns
-- ({bits}: arrow_null_bit terms joined by +).
array_agg({bits})
