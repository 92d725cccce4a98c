-- name: insert_hex_cell_from_stage()!
-- Add the staged cells hex_cell does not have yet (an H3 cell's boundary
-- never changes, so existing ones are kept). Primary-key probes.
INSERT INTO hex_cell (h3_index, resolution, boundary, centroid)
SELECT s.h3_index, s.resolution, s.boundary, s.centroid
FROM hex_cell_stage AS s
ON CONFLICT (h3_index) DO NOTHING;
