-- name: roles#
-- Three least-privilege roles for one babylon-sql database. Not a schema
-- layer: run it as a superuser (roles are cluster-wide, grants are per
-- database), in the database, once after the schema is applied and again
-- after migrations that add views for the frontend:
--
--   PGOPTIONS='-c babylon.role_prefix=babylon' psql -v ON_ERROR_STOP=1 \
--       -d DBNAME -f ddl/pg/roles.sql
--
-- or `babylon-sql roles create --prefix babylon`. Settings (all optional):
--   babylon.role_prefix  role names are <prefix>_owner, <prefix>_writer,
--                        <prefix>_reader (default prefix: babylon);
--   babylon.role_login   'on' creates them WITH LOGIN (no password: set one
--                        with \password, or use peer or certificate auth).
--
-- <prefix>_owner  owns every object of the schema and runs DDL and
--                 migrations (babylon-sql schema migrate). It is no
--                 superuser: PostGIS and pgvector, untrusted extensions,
--                 must be created by a superuser (CREATE EXTENSION) first.
-- <prefix>_writer SELECT, INSERT, UPDATE, DELETE on the runtime tables (not
--                 on babylon_schema_version), no DDL. What needs DDL at run
--                 time goes through the SECURITY DEFINER functions
--                 babylon_analyze, babylon_create_trace_partition,
--                 babylon_drop_trace_partition, babylon_create_hnsw_index
--                 and babylon_drop_hnsw_index, owned by the owner.
-- <prefix>_reader reads the views a frontend shows (hex_latest and every
--                 view named v_*: the composition views, v_session_summary)
--                 and nothing else; views read their tables as their owner.
--
-- Idempotent: a second run creates nothing and grants the same privileges.

SELECT
    set_config('babylon.owner_role', p.prefix || '_owner', false) AS owner_role,
    set_config('babylon.writer_role', p.prefix || '_writer', false) AS writer_role,
    set_config('babylon.reader_role', p.prefix || '_reader', false) AS reader_role
FROM (
    SELECT coalesce(nullif(current_setting('babylon.role_prefix', true), ''), 'babylon') AS prefix
) AS p;

DO $$
DECLARE
    prefix text := coalesce(nullif(current_setting('babylon.role_prefix', true), ''), 'babylon');
    login text := CASE
        WHEN coalesce(current_setting('babylon.role_login', true), '') IN ('on', 'true', '1')
            THEN 'LOGIN' ELSE 'NOLOGIN'
    END;
    role_name text;
BEGIN
    IF prefix !~ '^[a-z_][a-z0-9_]{0,40}$' THEN
        RAISE EXCEPTION 'babylon.role_prefix must be 1-41 lower-case letters, digits or _, got %', prefix
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH role_name IN ARRAY ARRAY[prefix || '_owner', prefix || '_writer', prefix || '_reader'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format(
                'CREATE ROLE %I %s NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS',
                role_name, login
            );
        ELSIF login = 'LOGIN' THEN
            EXECUTE format('ALTER ROLE %I LOGIN', role_name);
        END IF;
    END LOOP;
END
$$;

-- The database and its public schema: the owner may create objects (and the
-- trusted extensions), the others may only connect and look up names.
DO $$
DECLARE
    owner_role text := current_setting('babylon.owner_role');
    writer_role text := current_setting('babylon.writer_role');
    reader_role text := current_setting('babylon.reader_role');
BEGIN
    EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO %I', current_database(), owner_role);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), writer_role, reader_role);
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', owner_role);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I, %I', writer_role, reader_role);
END
$$;

-- Every object of the schema (not those of extensions) belongs to the owner,
-- so that the SECURITY DEFINER functions run as the owner.
DO $$
DECLARE
    owner_role text := current_setting('babylon.owner_role');
    obj record;
BEGIN
    FOR obj IN
        SELECT c.oid::regclass AS name, c.relkind
        FROM pg_class AS c
        INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'
            AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
            -- identity sequences change owner with their table
            AND NOT (c.relkind = 'S' AND EXISTS (
                SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'i'
            ))
            AND pg_get_userbyid(c.relowner) <> owner_role
    LOOP
        EXECUTE format(
            'ALTER %s %s OWNER TO %I',
            CASE obj.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
            obj.name, owner_role
        );
    END LOOP;
    FOR obj IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc AS p
        INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
            AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
            AND pg_get_userbyid(p.proowner) <> owner_role
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO %I', obj.name, owner_role);
    END LOOP;
END
$$;

-- The writer: DML on every table, now and later (default privileges of the
-- owner cover the tables migrations and trace partitions create), the
-- run-time DDL functions, and nothing on the version table but SELECT.
DO $$
DECLARE
    owner_role text := current_setting('babylon.owner_role');
    writer_role text := current_setting('babylon.writer_role');
    fn text;
BEGIN
    EXECUTE format(
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', writer_role
    );
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', writer_role);
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
        'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', owner_role, writer_role
    );
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
        'GRANT USAGE, SELECT ON SEQUENCES TO %I', owner_role, writer_role
    );
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT EXECUTE ON ROUTINES TO %I',
        owner_role, writer_role
    );
    IF to_regclass('babylon_schema_version') IS NOT NULL THEN
        EXECUTE format(
            'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON babylon_schema_version FROM %I', writer_role
        );
    END IF;
    FOR fn IN
        SELECT p.oid::regprocedure::text
        FROM pg_proc AS p
        INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef AND p.proname LIKE 'babylon\_%'
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', fn, writer_role);
    END LOOP;
END
$$;

-- The reader: SELECT on hex_latest and the v_* views only.
DO $$
DECLARE
    reader_role text := current_setting('babylon.reader_role');
    view_name regclass;
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', reader_role);
    FOR view_name IN
        SELECT c.oid::regclass
        FROM pg_class AS c
        INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'
            AND c.relkind = 'v'
            AND (c.relname = 'hex_latest' OR c.relname LIKE 'v\_%')
    LOOP
        EXECUTE format('GRANT SELECT ON %s TO %I', view_name, reader_role);
    END LOOP;
END
$$;
