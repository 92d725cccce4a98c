-- name: hex_arrow_nulls_from(k)
-- Five rows whose x and t are NULL from row k + 1 on: the same statement with
-- or without NULLs, for the Arrow read path's NULL mask that remembers which
-- columns had NULLs.
SELECT
    i,
    CASE WHEN i > :k THEN NULL ELSE i * 1.5 END::double precision AS x,
    CASE WHEN i > :k THEN NULL ELSE 'v' || i END AS t,
    CASE WHEN i > :k THEN NULL ELSE i > 2 END AS b
FROM generate_series(1, 5) AS g (i)
ORDER BY i;
