-- name: set_session_metadata(session_id, key, value)!
-- Metadata of one session: insert or replace one key.
INSERT INTO session_metadata (session_id, key, value) VALUES (:session_id, :key, :value)
ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
