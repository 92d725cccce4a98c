-- name: installed_extensions()
-- Extensions created in this database, with their versions.
SELECT extname AS name, extversion AS version FROM pg_extension ORDER BY extname;
