-- name: drop_hnsw_index(dimension)$
-- Drop one dimension's HNSW index, before a bulk load that rebuilds it after
-- (building once is faster than inserting row by row into the graph). Through
-- the SECURITY DEFINER function babylon_drop_hnsw_index, so the writer may.
SELECT babylon_drop_hnsw_index(:dimension);
