-- name: schema_version()$
-- The schema version of this runtime file (its migrations applied; 0: none).
PRAGMA user_version;
