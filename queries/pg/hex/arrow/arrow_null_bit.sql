-- name: arrow_null_bit#
-- Template: bit {bit} of a row's NULL bitmask ({bit}: its value, 2^i), set
-- when the column is NULL. A CASE, not casts and a shift: no function call
-- for a column that is not NULL.
CASE WHEN q.{column} IS NULL THEN CAST({bit} AS bigint) ELSE CAST(0 AS bigint) END
