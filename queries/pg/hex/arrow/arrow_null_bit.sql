-- name: arrow_null_bit#
-- Template: one level of a row's NULL bitmask: {if_null} when the column is
-- NULL, else {if_not_null}. Nested over a group of columns (a decision tree
-- whose leaves are arrow_null_leaf) it yields the group's bits with no
-- function call; the groups are then added (arrow_agg_nulls).
CASE WHEN q.{column} IS NULL THEN {if_null} ELSE {if_not_null} END
