-- name: mapped_hexes(h3_indexes)
-- The given H3 indexes that hex_map already maps (populate_hex_cells keeps
-- their county). One primary-key probe of hex_map per index.
SELECT m.h3_index
FROM unnest(CAST(:h3_indexes AS bigint[])) AS q (h3_index)
INNER JOIN hex_map AS m ON m.h3_index = q.h3_index;
