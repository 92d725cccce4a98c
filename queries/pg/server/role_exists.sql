-- name: role_exists(role_name)$
-- Whether a role of that name exists in the cluster. Catalog lookup.
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :role_name);
