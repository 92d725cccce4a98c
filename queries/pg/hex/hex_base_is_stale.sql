-- name: hex_base_is_stale()$
-- Whether hex_base lacks hexes of hex_map or holds hexes hex_map no longer
-- has (hex_map written by something other than load_hex_map): the seed then
-- rebuilds it. Two index-only counts.
SELECT (SELECT count(*) FROM hex_map) <> (SELECT count(*) FROM hex_base);
