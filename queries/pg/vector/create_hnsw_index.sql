-- name: create_hnsw_index#
-- The partial HNSW index for one dimension: cosine distance on the expression
-- embedding::vector(N), over the rows WHERE dimension = N. query_similar uses
-- exactly this expression and predicate, so the planner matches the index.
-- {index} is a psycopg.sql.Identifier, {dimension} a psycopg.sql.Literal
-- integer (a type modifier cannot be a bind parameter).
CREATE INDEX IF NOT EXISTS {index}
    ON document_chunk USING hnsw ((embedding::vector({dimension})) vector_cosine_ops)
    WHERE dimension = {dimension};
