-- name: insert_journal_extras(session_id, tick)!
-- Test helper: one row each of economic_summary and tick_event (tables the
-- runtime API does not write) for one tick.
WITH economy AS (
    INSERT INTO economic_summary (game_id, tick, scope, scope_id, metrics)
    VALUES (:session_id, :tick, 'county', '01001', '{"profit": 0.125}')
)
INSERT INTO tick_event (game_id, tick, seq, event_type, h3_index, county_fips, payload)
VALUES (:session_id, :tick, 0, 'strike', 608533827635118079, '01001', '{"size": 3}');
