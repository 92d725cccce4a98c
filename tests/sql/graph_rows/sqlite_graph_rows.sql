-- name: sqlite_drop_first_node(session_id, tick)!
-- A hand edit of SQLite's chunk storage: the first node of the tick's first
-- node chunk is removed from its JSON array.
UPDATE node_chunk SET nodes = json_remove(nodes, '$[0]')
WHERE session_id = :session_id AND tick = :tick AND first_ord = 0;
