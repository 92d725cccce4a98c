-- name: query_similar(collection, query, k, with_document, with_embedding, with_metadata)
-- The k chunks of one collection nearest to a query vector by cosine
-- distance. Served by the partial HNSW index document_chunk_hnsw_<N>: the
-- ORDER BY expression and the WHERE dimension = N predicate are those of the
-- index, N being a psycopg.sql.Literal filled in for {dimension}. The with_*
-- flags leave unwanted columns NULL, so an embedding is sent only when asked.
-- The inner scan may return rows slightly out of order (iterative_scan =
-- relaxed_order); the outer ORDER BY puts them right.
WITH nearest AS MATERIALIZED (
    SELECT chunk_id, document, metadata, embedding,
           embedding::vector({dimension}) <=> (:query)::vector({dimension}) AS distance
    FROM document_chunk
    WHERE dimension = {dimension} AND collection = :collection
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
