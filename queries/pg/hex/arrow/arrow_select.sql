-- name: arrow_select#
-- Template of the Arrow read path: the whole result of {query} as ONE row
-- of column aggregates ({columns}, each one bytea), sent in the binary
-- protocol. Binary COPY sends one message per row, and reading 243K
-- messages costs the client more than decoding them; one row of bytea is
-- decoded by numpy with no Python object per value. Every aggregate reads
-- the same rows in the same order (one pass over the subquery), so the
-- columns stay aligned.
SELECT count(*) AS n, {columns} FROM ({query}) AS q;
