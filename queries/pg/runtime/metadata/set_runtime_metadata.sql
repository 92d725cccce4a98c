-- name: set_runtime_metadata(key, value)!
-- Database-level metadata (no session): insert or replace one key.
INSERT INTO runtime_metadata (key, value) VALUES (:key, :value)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now();
