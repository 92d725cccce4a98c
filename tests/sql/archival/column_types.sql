-- name: column_types(table_name)
-- Test helper: the columns of one table with their types.
SELECT attname::text, format_type(atttypid, atttypmod)
FROM pg_attribute
WHERE attrelid = to_regclass(:table_name) AND attnum > 0 AND NOT attisdropped
ORDER BY attnum;
