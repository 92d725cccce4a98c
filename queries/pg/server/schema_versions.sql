-- name: schema_versions()
-- Every migration this database has, oldest first. Primary key order.
SELECT version, name, how, checksum, applied_at
FROM babylon_schema_version
ORDER BY version;
