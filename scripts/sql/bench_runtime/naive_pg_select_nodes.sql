-- name: naive_pg_select_nodes(session_id, tick)
-- Baseline read: plain SELECT of the nodes of a tick.
SELECT node_id, attributes::text FROM naive_node_state WHERE session_id = :session_id AND tick = :tick;
