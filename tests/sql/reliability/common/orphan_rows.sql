-- name: orphan_rows()$
-- Node, edge and event rows whose tick has no graph_snapshot row (a whole
-- tick never leaves any). Portable: PostgreSQL and SQLite.
SELECT
    (
        SELECT count(*) FROM node_state AS n
        WHERE NOT EXISTS (
            SELECT 1 FROM graph_snapshot AS s
            WHERE s.session_id = n.session_id AND s.tick = n.tick
        )
    )
    + (
        SELECT count(*) FROM edge_state AS e
        WHERE NOT EXISTS (
            SELECT 1 FROM graph_snapshot AS s
            WHERE s.session_id = e.session_id AND s.tick = e.tick
        )
    )
    + (
        SELECT count(*) FROM simulation_event AS v
        WHERE NOT EXISTS (
            SELECT 1 FROM graph_snapshot AS s
            WHERE s.session_id = v.session_id AND s.tick = v.tick
        )
    );
