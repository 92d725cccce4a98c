-- name: arrow_agg_nulls#
-- Template: one bigint per row, the bitmask of its NULL columns, as one
-- bytea ({bits}: one arrow_null_bit tree per group of columns, joined by +).
string_agg(int8send({bits}), CAST('' AS bytea))
