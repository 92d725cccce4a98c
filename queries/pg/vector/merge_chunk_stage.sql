-- name: merge_chunk_stage(collection, dimension)!
-- Move the staged rows into one collection, replacing chunks of the same id
-- (conflict target: the primary key). The staged ids are unique (the caller
-- keeps the last of duplicates), so no row is affected twice.
INSERT INTO document_chunk
    (collection, chunk_id, session_id, source, document, metadata, embedding, dimension)
SELECT :collection, chunk_id, session_id, source, document, metadata, embedding, :dimension
FROM document_chunk_stage
ON CONFLICT (collection, chunk_id) DO UPDATE SET
    session_id = excluded.session_id,
    source = excluded.source,
    document = excluded.document,
    metadata = excluded.metadata,
    embedding = excluded.embedding,
    dimension = excluded.dimension,
    created_at = now();
