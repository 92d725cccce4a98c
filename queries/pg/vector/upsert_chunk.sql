-- name: upsert_chunk(collection, chunk_id, session_id, source, document, metadata, embedding, dimension)*!
-- Add one chunk, or replace the chunk of that id in the collection. Run in
-- batches of at most 1,000 rows inside one transaction. Conflict target: the
-- primary key (collection, chunk_id).
INSERT INTO document_chunk
    (collection, chunk_id, session_id, source, document, metadata, embedding, dimension)
VALUES
    (:collection, :chunk_id, :session_id, :source, :document, :metadata, :embedding, :dimension)
ON CONFLICT (collection, chunk_id) DO UPDATE SET
    session_id = excluded.session_id,
    source = excluded.source,
    document = excluded.document,
    metadata = excluded.metadata,
    embedding = excluded.embedding,
    dimension = excluded.dimension,
    created_at = now();
