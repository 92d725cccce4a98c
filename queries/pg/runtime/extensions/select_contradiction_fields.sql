-- name: select_contradiction_fields(session_id, tick)
-- Contradiction field values of one tick (primary key range).
SELECT field_key, value::text AS value
FROM contradiction_field
WHERE session_id = :session_id AND tick = :tick
ORDER BY field_key;
