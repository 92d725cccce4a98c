-- name: drop_database#
-- Drop a database, ending its connections first (PostgreSQL 13+).
DROP DATABASE IF EXISTS {database} WITH (FORCE);
