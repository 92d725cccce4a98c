-- name: drop_owned_by#
-- Hand the role's objects in this database to the current user, then revoke
-- its privileges here (DROP OWNED), so that the role itself can be dropped.
-- {role} is a psycopg.sql.Identifier.
REASSIGN OWNED BY {role} TO CURRENT_USER;
DROP OWNED BY {role};
