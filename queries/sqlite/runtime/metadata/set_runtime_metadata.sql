-- name: set_runtime_metadata(key, value)!
-- Metadata of the run file (no session): insert or replace one key.
INSERT INTO metadata (key, value) VALUES (:key, :value)
ON CONFLICT (key) DO UPDATE SET value = excluded.value,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
