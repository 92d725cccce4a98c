-- name: get_runtime_metadata(key)$
-- One metadata value of the run file, or NULL.
SELECT value FROM metadata WHERE key = :key;
