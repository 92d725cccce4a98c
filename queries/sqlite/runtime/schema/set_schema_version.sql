-- name: set_schema_version#
-- Record the schema version in the database header (transactional). A PRAGMA
-- takes no bind parameter: {version} is filled with a checked integer.
PRAGMA user_version = {version};
