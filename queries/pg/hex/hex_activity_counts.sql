-- name: hex_activity_counts(game_id, previous_tick, tick)^
-- For RefreshReport: hexes active at :tick, and hexes active at
-- :previous_tick with no activity at :tick (they went quiet). Two primary-key
-- range scans of hex_activity (game_id, tick) and a hashed EXCEPT: linear
-- whatever the statistics say (an anti-join planned on a table analyzed
-- when it was small became a nested loop of sequential scans, seconds).
SELECT
    (SELECT count(*) FROM hex_activity AS a WHERE a.game_id = :game_id AND a.tick = :tick) AS active_hexes,
    (
        SELECT count(*)
        FROM (
            SELECT p.h3_index FROM hex_activity AS p
            WHERE p.game_id = :game_id AND p.tick = :previous_tick
            EXCEPT
            SELECT a.h3_index FROM hex_activity AS a
            WHERE a.game_id = :game_id AND a.tick = :tick
        ) AS quiet
    ) AS quieted_hexes;
