-- name: set_role_options(prefix, login)^
-- The settings ddl/pg/roles.sql reads (what PGOPTIONS gives it under psql):
-- the role-name prefix and whether the roles may log in. Session-wide.
SELECT
    set_config('babylon.role_prefix', :prefix, false) AS prefix,
    set_config('babylon.role_login', :login, false) AS login;
