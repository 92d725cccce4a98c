-- name: mark_turns_resolved(session_id, tick)!
-- Mark a tick's unresolved turns resolved; the row count is how many changed
-- (game_turn_one_per_org serves the (session_id, tick) prefix).
UPDATE game_turn
SET resolved = true
WHERE session_id = :session_id AND tick = :tick AND NOT resolved;
