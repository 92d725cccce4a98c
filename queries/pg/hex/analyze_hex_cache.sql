-- name: analyze_hex_cache#
-- Statistics of the cache tables right after seed_hex_latest filled them.
ANALYZE hex_base, hex_county_latest, hex_latest_head;
