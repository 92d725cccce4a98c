-- name: insert_contradiction_field(session_id, tick, field_key, value)*!
-- Contradiction field values of one tick (batched by the caller).
INSERT INTO contradiction_field (session_id, tick, field_key, value)
VALUES (:session_id, :tick, :field_key, :value::json);
