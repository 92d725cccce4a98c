-- name: pg_delete_node(session_id, tick, node_id)!
-- A DBA deletes one node row of a tick by hand.
DELETE FROM node_state WHERE session_id = :session_id AND tick = :tick AND node_id = :node_id;

-- name: pg_delete_edge(session_id, tick, source_id, target_id)!
-- A DBA deletes one edge row of a tick by hand.
DELETE FROM edge_state
WHERE session_id = :session_id AND tick = :tick AND source_id = :source_id AND target_id = :target_id;

-- name: pg_duplicate_node(session_id, tick, node_id)!
-- A DBA copies one node row of a tick to the end of its graph order.
INSERT INTO node_state (session_id, tick, generation, node_id, ord, node_ref, node_type, attributes)
SELECT n.session_id, n.tick, n.generation, n.node_id,
       (SELECT max(m.ord) + 1 FROM node_state AS m WHERE m.session_id = n.session_id AND m.tick = n.tick),
       n.node_ref, n.node_type, n.attributes
FROM node_state AS n
WHERE n.session_id = :session_id AND n.tick = :tick AND n.node_id = :node_id;

-- name: pg_duplicate_edge(session_id, tick, source_id, target_id)!
-- A DBA copies one edge row of a tick to the end of its graph order.
INSERT INTO edge_state (
    session_id, tick, generation, source_id, target_id, ord, source_ref, target_ref, edge_type, attributes
)
SELECT e.session_id, e.tick, e.generation, e.source_id, e.target_id,
       (SELECT max(f.ord) + 1 FROM edge_state AS f WHERE f.session_id = e.session_id AND f.tick = e.tick),
       e.source_ref, e.target_ref, e.edge_type, e.attributes
FROM edge_state AS e
WHERE e.session_id = :session_id AND e.tick = :tick AND e.source_id = :source_id AND e.target_id = :target_id;

-- name: pg_analyze_graph#
-- Statistics as autovacuum would have gathered them.
ANALYZE node_state;
ANALYZE edge_state;

-- name: pg_plan#
-- The plan of another query, whose text is composed in as {query}.
EXPLAIN (FORMAT JSON) {query};

-- name: pg_forbid_sort#
-- For the rest of the transaction, plan a sort only when nothing else can
-- give the order asked for.
SET LOCAL enable_sort = off;

-- name: pg_lock_old_edge(session_id, tick)$
-- Another transaction holds one edge row of a tick (as a DBA's open
-- transaction might): a replace's delete of that row waits for it.
SELECT ord FROM edge_state
WHERE session_id = :session_id AND tick = :tick
ORDER BY ord DESC
LIMIT 1
FOR UPDATE;

-- name: pg_lock_waiters()$
-- How many backends of this database wait on a lock.
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock';
