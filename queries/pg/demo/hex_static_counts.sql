-- name: hex_static_counts()^
-- Rows of the static hex tables (shared by every game): hex_map, hex_substrate.
-- Both are full counts (their primary-key indexes allow index-only scans).
SELECT
    (SELECT count(*) FROM hex_map) AS hex_map_rows,
    (SELECT count(*) FROM hex_substrate) AS hex_substrate_rows;
