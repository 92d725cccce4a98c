-- name: hex_cells_in_bbox(min_lng, min_lat, max_lng, max_lat)
-- H3 cells of hex_cell whose boundary intersects a bounding box (WGS 84
-- degrees), in index order. hex_cell_boundary_gist finds the candidates
-- (&&), ST_Intersects keeps those that really touch the box.
SELECT c.h3_index
FROM hex_cell AS c
WHERE c.boundary && ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326)
    AND ST_Intersects(c.boundary, ST_MakeEnvelope(:min_lng, :min_lat, :max_lng, :max_lat, 4326))
ORDER BY c.h3_index;
