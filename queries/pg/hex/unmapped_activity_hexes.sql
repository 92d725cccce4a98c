-- name: unmapped_activity_hexes(game_id, tick)
-- The hexes of one tick's hex_activity rows that hex_map does not know,
-- checked by the writer right after its COPY, in the same transaction (it
-- raises and the transaction rolls back, so nothing is written). One
-- primary-key probe of hex_map per written row: the LATERAL subquery with
-- LIMIT cannot be turned into a hash join over the whole of hex_map.
SELECT a.h3_index
FROM hex_activity AS a
LEFT JOIN LATERAL (
    SELECT 1 AS known
    FROM hex_map AS m
    WHERE m.h3_index = a.h3_index
    LIMIT 1
) AS m ON TRUE
WHERE a.game_id = :game_id AND a.tick = :tick AND m.known IS NULL
ORDER BY a.h3_index;
