-- name: query_similar_where(collection, query, k, where, with_document, with_embedding, with_metadata)
-- As query_similar, restricted to chunks whose metadata contains the where=
-- object (jsonb @>). Served by the partial HNSW index with an iterative scan
-- (it keeps scanning until k rows pass the filter), or, when the filter is
-- selective, by document_chunk_metadata_gin and an exact sort: both return k
-- rows whenever k rows match.
WITH nearest AS MATERIALIZED (
    SELECT chunk_id, document, metadata, embedding,
           embedding::vector({dimension}) <=> (:query)::vector({dimension}) AS distance
    FROM document_chunk
    WHERE dimension = {dimension} AND collection = :collection
      AND metadata @> (:where)::jsonb
    ORDER BY distance
    LIMIT :k
)
SELECT chunk_id,
       CASE WHEN :with_document THEN document END AS document,
       CASE WHEN :with_embedding THEN embedding END AS embedding,
       CASE WHEN :with_metadata THEN metadata END AS metadata,
       distance
FROM nearest
ORDER BY distance, chunk_id;
