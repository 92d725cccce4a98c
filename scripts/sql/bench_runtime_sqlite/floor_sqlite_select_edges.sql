-- name: floor_sqlite_select_edges(session_id, tick)
-- SQLite hydrate floor: the floor's edge rows of one tick in graph order
-- (what select_edges read before the runtime stored chunks).
SELECT source_id, source_ref, target_id, target_ref, attributes
FROM floor_edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord;
