-- name: arrow_describe#
-- Template: the columns and types of {query}, without running it for rows.
SELECT * FROM ({query}) AS q LIMIT 0;
