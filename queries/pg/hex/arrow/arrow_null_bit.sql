-- name: arrow_null_bit#
-- Template: bit {bit} of a row's NULL bitmask, set when the column is NULL.
(CAST(q.{column} IS NULL AS integer)::bigint << {bit})
