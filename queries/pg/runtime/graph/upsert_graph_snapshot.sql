-- name: upsert_graph_snapshot(session_id, tick, directed, graph_attrs, node_count, edge_count)$
-- The header row of one persisted tick, written or rewritten in place (primary
-- key), and the generation its node and edge rows take: 0 for a new tick, one
-- more than before for a replaced one. Rewriting rather than deleting the
-- header keeps graph_snapshot_cascade from running on every replace (the
-- tick's rows were deleted just before).
INSERT INTO graph_snapshot AS s (session_id, tick, directed, graph_attrs, node_count, edge_count)
VALUES (:session_id, :tick, :directed, :graph_attrs::json, :node_count, :edge_count)
ON CONFLICT (session_id, tick) DO UPDATE
SET directed = excluded.directed,
    graph_attrs = excluded.graph_attrs,
    node_count = excluded.node_count,
    edge_count = excluded.edge_count,
    persisted_at = excluded.persisted_at,
    generation = s.generation + 1
RETURNING generation;
