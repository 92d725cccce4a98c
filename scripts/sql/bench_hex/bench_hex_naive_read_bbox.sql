-- name: bench_hex_naive_read_bbox(game_id, min_lng, min_lat, max_lng, max_lat)
-- Viewport by bounding box from the baseline table, the cells from hex_cell's GiST index.
SELECT l.*
FROM hex_latest_naive AS l
WHERE l.game_id = :game_id
    AND l.h3_index IN (
        SELECT c.h3_index FROM hex_cell AS c
        WHERE c.boundary && ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326)
            AND ST_Intersects(
                c.boundary, ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326)
            )
    )
ORDER BY l.h3_index;
