-- name: extensions#
-- Layer 010: extensions every server has.
--
-- uuid-ossp is created where the server ships it (Debian PostgreSQL does, the
-- embedded PostgreSQL 18 does not). Nothing in the schema depends on it:
-- gen_random_uuid() is core since PostgreSQL 13. PostGIS and pgvector are
-- created by the layers that need them (041_spatial_postgis, 100_semantic), so
-- a server without them can still take everything else.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'uuid-ossp') THEN
        CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
    END IF;
END
$$;
