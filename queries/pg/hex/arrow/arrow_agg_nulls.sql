-- name: arrow_agg_nulls#
-- Template: one bigint per row, the bitmask of its NULL columns, as one
-- bytea ({bits}: arrow_null_bit terms joined by +).
string_agg(int8send({bits}), CAST('' AS bytea))
