-- name: drop_role#
-- Drop one role after its objects and privileges in this database are gone
-- (drop_owned_by). {role} is a psycopg.sql.Identifier.
DROP ROLE IF EXISTS {role};
