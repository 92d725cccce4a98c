-- name: missing_hexes(h3_indexes)
-- The given H3 indexes that have no hex_map row (journal writes refuse them).
-- One primary-key probe of hex_map per index (nested loop over unnest).
SELECT DISTINCT q.h3_index
FROM unnest(CAST(:h3_indexes AS bigint[])) AS q (h3_index)
WHERE NOT EXISTS (SELECT 1 FROM hex_map AS m WHERE m.h3_index = q.h3_index)
ORDER BY q.h3_index;
