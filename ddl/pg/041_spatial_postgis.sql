-- name: spatial_postgis#
-- requires: postgis
-- Layer 041: hex geometries. Needs PostGIS; skipped (with a warning) on a
-- server without it.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE IF NOT EXISTS hex_cell (
    h3_index   bigint   PRIMARY KEY,
    resolution smallint NOT NULL,
    boundary   geometry(Polygon, 4326) NOT NULL,
    centroid   geometry(Point, 4326)   NOT NULL,
    -- why: H3 knows resolutions 0 to 15 only.
    CONSTRAINT hex_cell_resolution_check CHECK (resolution BETWEEN 0 AND 15)
);
COMMENT ON TABLE hex_cell IS 'H3 hex geometries (WGS 84) for spatial queries and map tiles.';

-- why: viewport queries ask which hexes intersect a bounding box.
CREATE INDEX IF NOT EXISTS hex_cell_boundary_gist ON hex_cell USING gist (boundary);
COMMENT ON INDEX hex_cell_boundary_gist IS 'viewport queries ask which hexes intersect a bounding box.';

-- why: hexes within a radius compare geodesic distances to the centroid (ST_DWithin on geography).
CREATE INDEX IF NOT EXISTS hex_cell_centroid_geog_gist ON hex_cell USING gist ((centroid::geography));
COMMENT ON INDEX hex_cell_centroid_geog_gist IS 'hexes within a radius compare geodesic distances to the centroid (ST_DWithin on geography).';
