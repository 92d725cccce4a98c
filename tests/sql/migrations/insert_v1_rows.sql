-- name: insert_v1_rows(session_id)!
-- Test helper: rows in the shapes migration 0001 gave the tables that a
-- later migration rebuilds (game_session, game_turn, action_result,
-- contradiction_field, edge_curvature, tick_log); one statement.
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
)
INSERT INTO tick_log (session_id, tick, rng_state, wall_time_ms)
VALUES (:session_id, 0, '[1, 2, 3]', 12.5);
