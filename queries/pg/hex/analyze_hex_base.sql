-- name: analyze_hex_base#
-- Statistics of hex_base right after a rebuild.
ANALYZE hex_base;
