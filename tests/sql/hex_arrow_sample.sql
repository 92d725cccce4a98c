-- name: hex_arrow_sample(n)
-- Rows of every type class the Arrow read path handles, NULLs included, in order.
SELECT
    CAST(mod(i, 300) AS smallint) AS s,
    CAST(CASE WHEN mod(i, 4) = 0 THEN NULL ELSE i END AS integer) AS i4,
    CAST(i AS bigint) * 1000000000 AS i8,
    CAST(i / 8.0 AS real) AS f4,
    CASE WHEN mod(i, 3) = 0 THEN NULL ELSE i / 3.0 END::double precision AS f8,
    CASE WHEN mod(i, 5) = 0 THEN NULL ELSE mod(i, 2) = 0 END AS b,
    CASE WHEN mod(i, 6) = 0 THEN NULL ELSE CAST(md5(CAST(i AS text)) AS uuid) END AS u,
    CASE WHEN mod(i, 7) = 0 THEN NULL ELSE repeat('é', mod(i, 4)) END AS t,
    CAST('{"k": ' || i || '}' AS jsonb) AS j,
    CAST(i AS numeric) / 4 AS n,
    CASE WHEN mod(i, 2) = 0 THEN NULL ELSE ARRAY[i, i + 1] END AS arr
FROM generate_series(1, :n) AS g (i)
ORDER BY i;
