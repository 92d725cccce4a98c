-- name: extension_privileges()
-- Every extension the server can create, whether this database has it, and
-- what decides whether the connected role may create it: a superuser may
-- create any; anyone with CREATE on the database may create a trusted one.
-- Catalog views only.
SELECT
    a.name,
    e.extname IS NOT NULL AS installed,
    coalesce(v.trusted, false) AS trusted,
    r.rolsuper AS superuser,
    has_database_privilege(current_database(), 'CREATE') AS can_create_in_database,
    current_user AS role_name,
    current_database() AS database_name
FROM pg_available_extensions AS a
INNER JOIN pg_roles AS r ON r.rolname = current_user
LEFT JOIN pg_extension AS e ON e.extname = a.name
LEFT JOIN pg_available_extension_versions AS v
    ON v.name = a.name AND v.version = a.default_version
ORDER BY a.name;
