-- name: vector_delete_session(session_id)!
-- Delete a game_session row (its chunks go with it: ON DELETE CASCADE).
DELETE FROM game_session WHERE session_id = :session_id;
