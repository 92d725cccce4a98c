-- name: available_extensions()
-- Extensions the server can create (installed or not), by name.
SELECT name FROM pg_available_extensions ORDER BY name;
