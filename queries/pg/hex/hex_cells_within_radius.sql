-- name: hex_cells_within_radius(lng, lat, meters)
-- H3 cells of hex_cell whose centroid lies within :meters of a point
-- (geodesic distance on the WGS 84 spheroid), nearest first.
-- hex_cell_centroid_geog_gist serves ST_DWithin on the geography cast.
SELECT c.h3_index
FROM hex_cell AS c
WHERE ST_DWithin(
    CAST(c.centroid AS geography),
    CAST(ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS geography),
    :meters
)
ORDER BY
    CAST(c.centroid AS geography) <-> CAST(ST_SetSRID(ST_MakePoint(:lng, :lat), 4326) AS geography),
    c.h3_index;
