-- name: drop_reader_role#
-- Test helper: remove the role made by create_reader_role (its grants in this
-- database first). {role} is a psycopg.sql.Identifier.
DROP OWNED BY {role};
DROP ROLE {role};
