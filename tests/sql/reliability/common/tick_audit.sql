-- name: tick_audit()
-- Every persisted tick with the counts its snapshot header promised and the
-- rows present (a whole tick has them equal). Portable: PostgreSQL and SQLite.
SELECT
    s.session_id,
    s.tick,
    s.node_count,
    s.edge_count,
    (
        SELECT count(*) FROM node_state AS n
        WHERE n.session_id = s.session_id AND n.tick = s.tick
    ) AS nodes,
    (
        SELECT count(*) FROM edge_state AS e
        WHERE e.session_id = s.session_id AND e.tick = s.tick
    ) AS edges,
    (
        SELECT count(*) FROM simulation_event AS v
        WHERE v.session_id = s.session_id AND v.tick = s.tick
    ) AS events
FROM graph_snapshot AS s
ORDER BY s.session_id, s.tick;
