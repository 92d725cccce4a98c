-- name: insert_hex_cell_wkt(h3_index, resolution, geometry_wkt, centroid_wkt)*!
-- One cell of populate_hex_cells (the original API: WKT polygon and point,
-- WGS 84); executemany in batches of 1,000 in one transaction. A cell
-- already there is kept (ON CONFLICT DO NOTHING, like the original).
INSERT INTO hex_cell (h3_index, resolution, boundary, centroid)
VALUES (
    :h3_index, :resolution,
    ST_GeomFromText(:geometry_wkt, 4326), ST_GeomFromText(:centroid_wkt, 4326)
)
ON CONFLICT (h3_index) DO NOTHING;
