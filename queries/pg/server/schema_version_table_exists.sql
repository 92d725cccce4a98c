-- name: schema_version_table_exists()$
-- Whether babylon_schema_version exists (a versioned database). Catalog lookup.
SELECT to_regclass('babylon_schema_version') IS NOT NULL;
