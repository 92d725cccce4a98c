-- name: analyze_hex_map#
-- Fresh statistics after a bulk load: without them the seed's join plans badly
-- (FACTS: 108 s instead of 0.85 s at CONUS scale).
ANALYZE hex_map;
