-- name: analyze_hex_cache#
-- Statistics of the per-game cache tables right after seed_hex_latest.
ANALYZE hex_county_latest, hex_latest_head;
