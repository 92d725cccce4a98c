-- name: migrations#
-- DuckDB: the migrations DatabaseManager.apply_migrations has applied, one
-- row per NNN_description.sql file of its migrations directory.
-- Idempotent: IF NOT EXISTS and a COMMENT.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER   PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    description VARCHAR   NOT NULL
);

COMMENT ON TABLE schema_migrations IS
    'Migration files applied to this database: version (the NNN prefix), when, and the description part of the name.';
