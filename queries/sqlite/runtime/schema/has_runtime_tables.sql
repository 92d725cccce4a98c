-- name: has_runtime_tables()$
-- Whether the runtime tables exist (a file made before versioning has them
-- with user_version 0). Reads the schema table.
SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'graph_snapshot';
