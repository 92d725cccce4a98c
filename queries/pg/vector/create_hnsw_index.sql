-- name: create_hnsw_index(dimension)$
-- The partial HNSW index for one dimension (document_chunk_hnsw_<N>): cosine
-- distance on the expression embedding::vector(N), over the rows WHERE
-- dimension = N; query_similar uses exactly this expression and predicate,
-- so the planner matches the index. True if it was created. Through the
-- SECURITY DEFINER function babylon_create_hnsw_index (ddl/pg/100_semantic.sql),
-- owned by the schema owner, so the writer role may call it.
SELECT babylon_create_hnsw_index(:dimension);
