-- name: game_schema_exists()$
-- Whether game_session exists: with no version table, the database was
-- created before versioning and is at migration 0001. Catalog lookup.
SELECT to_regclass('game_session') IS NOT NULL;
