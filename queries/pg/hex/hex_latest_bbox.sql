-- name: hex_latest_bbox(game_id, min_lng, min_lat, max_lng, max_lat)
-- Viewport (PostGIS): the hex_latest rows of the hexes whose boundary
-- intersects a bounding box, in index order. hex_cell_boundary_gist gives
-- the cells, then hex_base primary-key probes.
SELECT l.*
FROM hex_latest AS l
WHERE l.game_id = :game_id
    AND l.h3_index IN (
        SELECT c.h3_index
        FROM hex_cell AS c
        WHERE c.boundary && ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326)
            AND ST_Intersects(
                c.boundary, ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326)
            )
    )
ORDER BY l.h3_index;
