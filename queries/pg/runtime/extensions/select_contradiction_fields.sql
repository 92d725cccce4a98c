-- name: select_contradiction_fields(session_id, tick)
-- Contradiction field rows of one tick in the order given (primary key range).
SELECT field::text AS field
FROM contradiction_field
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
