-- name: insert_document_chunk(collection, chunk_id, session_id, document, embedding)!
-- Test helper: one document_chunk row (pgvector column); embedding is '[1,2,3]' text.
INSERT INTO document_chunk (collection, chunk_id, session_id, document, embedding, dimension)
VALUES (:collection, :chunk_id, :session_id, :document, CAST(:embedding AS vector),
        vector_dims(CAST(:embedding AS vector)));
