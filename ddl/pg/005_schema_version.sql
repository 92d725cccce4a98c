-- name: schema_version#
-- Layer 005: the schema version. One row per migration of
-- ddl/pg/migrations/ this database has: applied ('migrated'), stamped by a
-- fresh install from these layers ('fresh'), or stamped as the baseline of a
-- database created before versioning ('baseline'). Its shape never changes:
-- the baseline of an old database creates it from this file.

CREATE TABLE IF NOT EXISTS babylon_schema_version (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    how        text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    -- why: each row says how the database reached that version.
    CONSTRAINT babylon_schema_version_how_check CHECK (how IN ('fresh', 'baseline', 'migrated'))
);
COMMENT ON TABLE babylon_schema_version IS
    'One row per schema migration this database has (ddl/pg/migrations/NNNN_name.sql): applied, stamped by a fresh install, or stamped as the baseline of a database older than versioning.';
