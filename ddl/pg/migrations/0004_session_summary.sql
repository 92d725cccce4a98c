-- name: session_summary#
-- Migration 0004: v_session_summary, the per-session view the read-only
-- frontend role reads.

CREATE OR REPLACE VIEW v_session_summary AS
SELECT
    s.session_id,
    s.name,
    s.status,
    s.created_at,
    s.updated_at,
    s.ended_at,
    s.end_tick,
    g.ticks_persisted,
    g.last_tick
FROM game_session AS s
CROSS JOIN LATERAL (
    -- one range scan of graph_snapshot's primary key (session_id, tick)
    SELECT
        count(*) AS ticks_persisted,
        max(x.tick) AS last_tick
    FROM graph_snapshot AS x
    WHERE x.session_id = s.session_id
) AS g;
COMMENT ON VIEW v_session_summary IS
    'One row per session: its status, times and how many ticks are persisted (and the last one). What a frontend lists; the read-only role reads it.';
