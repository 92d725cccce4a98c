-- name: floor_sqlite_select_nodes(session_id, tick)
-- SQLite hydrate floor: the floor's node rows of one tick in graph order
-- (what select_nodes read before the runtime stored chunks).
SELECT node_id, node_ref, attributes
FROM floor_node_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
