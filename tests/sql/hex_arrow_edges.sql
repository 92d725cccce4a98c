-- name: hex_arrow_edges(n)
-- Edge cases of the Arrow read path: columns NULL in every row, text with
-- control characters (a byte 1, tabs, newlines) and empty strings, a NULL
-- uuid and bool, in order.
SELECT
    CAST(NULL AS double precision) AS none_f8,
    CAST(NULL AS text) AS none_t,
    CAST(NULL AS uuid) AS none_u,
    CASE WHEN i = 2 THEN NULL ELSE i = 1 END AS b,
    CASE mod(i, 3) WHEN 0 THEN '' WHEN 1 THEN chr(1) || 'a' || E'\t\n' ELSE NULL END AS t,
    CAST(jsonb_build_object('k', chr(1), 'i', i) AS jsonb) AS j,
    CAST(i AS bigint) AS i8
FROM generate_series(1, :n) AS g (i)
ORDER BY i;
