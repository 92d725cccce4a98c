-- name: insert_v1_rows(session_id)!
-- Test helper: rows in the shapes migration 0001 gave the tables (a session,
-- a graph of two nodes and an edge at ticks 0 and 1, an event, metadata, a
-- summary, a trace, and the tables later migrations rebuild); one statement.
WITH s AS (
    INSERT INTO game_session (session_id, name, status, config)
    VALUES (:session_id, 'old', 'running', '{"seed": 1}')
),
turns AS (
    INSERT INTO game_turn (session_id, turn_number, player_id, tick, actions) VALUES
        (:session_id, 0, 'p1', 0, '[{"move": "north"}]'),
        (:session_id, 1, 'p1', 0, '[{"move": "south"}]'),
        (:session_id, 0, 'p2', 0, '[]')
),
results AS (
    INSERT INTO action_result (session_id, tick, action_id, actor_id, action_type, success, outcome)
    VALUES
        (:session_id, 0, 'b', 'org_b', 'RECRUIT', true, '{"action_id": "b", "gain": 2}'),
        (:session_id, 0, 'a', 'org_a', 'STRIKE', false, '{"action_id": "a"}')
),
fields AS (
    INSERT INTO contradiction_field (session_id, tick, field_key, value) VALUES
        (:session_id, 0, 'heat', '0.5'),
        (:session_id, 0, 'class', '{"level": 2}')
),
curvatures AS (
    INSERT INTO edge_curvature (session_id, tick, source_id, target_id, curvature)
    VALUES (:session_id, 0, 'a', 'b', '-0.25')
),
snapshots AS (
    INSERT INTO graph_snapshot (session_id, tick, graph_attrs, node_count, edge_count) VALUES
        (:session_id, 0, '{"year": 1}', 2, 1),
        (:session_id, 1, '{"year": 1}', 2, 1)
),
nodes AS (
    INSERT INTO node_state (session_id, tick, node_id, ord, node_type, attributes) VALUES
        (:session_id, 0, 'a', 0, 'worker', '{"node_type": "worker", "wealth": 1.5}'),
        (:session_id, 0, 'b', 1, NULL, '{}'),
        (:session_id, 1, 'a', 0, 'worker', '{"node_type": "worker", "wealth": 1.5}'),
        (:session_id, 1, 'b', 1, NULL, '{}')
),
edges AS (
    INSERT INTO edge_state (session_id, tick, source_id, target_id, ord, attributes) VALUES
        (:session_id, 0, 'a', 'b', 0, '{"w": 2}'),
        (:session_id, 1, 'a', 'b', 0, '{"w": 2}')
),
events AS (
    INSERT INTO simulation_event (session_id, tick, seq, event_type, payload)
    VALUES (:session_id, 0, 0, 'x', '{"type": "x"}')
),
metadata AS (
    INSERT INTO session_metadata (session_id, key, value) VALUES (:session_id, 'k', 'v')
),
summaries AS (
    INSERT INTO tick_summary (session_id, tick, summary) VALUES (:session_id, 0, '{"total": 3}')
),
traces AS (
    INSERT INTO trace_log (session_id, tick, seq, level, system, event, data)
    VALUES (:session_id, 0, 0, 2, 's', 'e', '{"n": 1}')
)
INSERT INTO tick_log (session_id, tick, rng_state, wall_time_ms)
VALUES (:session_id, 0, '[1, 2, 3]', 12.5);
