-- name: create_restore_staging#
-- Restore: a temporary table shaped like a shared table (vector_collection),
-- dropped at commit, that receives its archived rows before they are merged
-- (insert_shared_rows). {staging} and {table} are psycopg.sql.Identifier.
CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP;
