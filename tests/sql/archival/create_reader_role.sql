-- name: create_reader_role#
-- Test helper: a role that may read every table but {denied}, to make an
-- export fail half-way through on a real privilege check. {role} and
-- {denied} are psycopg.sql.Identifier.
CREATE ROLE {role} NOLOGIN;
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};
REVOKE SELECT ON {denied} FROM {role};
