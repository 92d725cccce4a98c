-- name: explain_select_nodes(session_id, tick)
-- Server-side execution time of hydrate's nodes query (queries/pg/graph/select_nodes.sql).
EXPLAIN (ANALYZE, FORMAT JSON)
SELECT coalesce(json_agg(json_build_array(node_id, node_ref, attributes) ORDER BY ord), '[]'::json)::text
FROM node_state
WHERE session_id = :session_id AND tick = :tick;
