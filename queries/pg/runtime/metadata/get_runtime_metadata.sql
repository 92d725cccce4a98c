-- name: get_runtime_metadata(key)$
-- One database-level metadata value, or NULL.
SELECT value FROM runtime_metadata WHERE key = :key;
