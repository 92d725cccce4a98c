-- name: applied_migrations()
-- Versions already applied (primary key of schema_migrations).
SELECT version FROM schema_migrations ORDER BY version;
