-- name: set_role#
-- Test helper: act as another role for the rest of the session. {role} is a
-- psycopg.sql.Identifier.
SET ROLE {role};
