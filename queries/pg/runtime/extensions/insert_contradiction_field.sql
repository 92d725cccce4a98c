-- name: insert_contradiction_field(session_id, tick, node_id, field_name, ord, field)*!
-- Contradiction field rows of one tick (batched by the caller); field is the whole row as JSON.
INSERT INTO contradiction_field (session_id, tick, node_id, field_name, ord, field)
VALUES (:session_id, :tick, :node_id, :field_name, :ord, :field::json);
