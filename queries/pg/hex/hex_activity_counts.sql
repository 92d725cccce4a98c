-- name: hex_activity_counts(game_id, previous_tick, tick)^
-- For RefreshReport: hexes active at :tick, and hexes active at
-- :previous_tick with no activity at :tick (they went quiet). Two primary-key
-- range scans of hex_activity (game_id, tick) and an anti-join.
SELECT
    (SELECT count(*) FROM hex_activity AS a WHERE a.game_id = :game_id AND a.tick = :tick) AS active_hexes,
    (
        SELECT count(*)
        FROM hex_activity AS p
        WHERE p.game_id = :game_id AND p.tick = :previous_tick
            AND NOT EXISTS (
                SELECT 1 FROM hex_activity AS a
                WHERE a.game_id = :game_id AND a.tick = :tick AND a.h3_index = p.h3_index
            )
    ) AS quieted_hexes;
