-- name: explain_select_edges(session_id, tick)
-- Server-side execution time of hydrate's edges query (queries/pg/graph/select_edges.sql).
EXPLAIN (ANALYZE, FORMAT JSON)
SELECT coalesce(
           json_agg(json_build_array(source_id, source_ref, target_id, target_ref, attributes)
                    ORDER BY ord),
           '[]'::json)::text
FROM edge_state
WHERE session_id = :session_id AND tick = :tick;
