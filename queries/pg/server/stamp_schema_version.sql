-- name: stamp_schema_version(version, name, how, checksum)!
-- Record that the database has one migration (applied, or stamped by a fresh
-- install or a baseline). A version recorded twice fails on the primary key.
INSERT INTO babylon_schema_version (version, name, how, checksum)
VALUES (:version, :name, :how, :checksum);
