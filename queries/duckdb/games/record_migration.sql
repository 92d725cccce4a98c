-- name: record_migration(version, description)!
-- Record one applied migration file.
INSERT INTO schema_migrations (version, description) VALUES (:version, :description);
