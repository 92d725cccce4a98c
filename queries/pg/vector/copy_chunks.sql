-- name: copy_chunks#
-- Binary COPY straight into document_chunk (the statement for cursor.copy()).
-- The caller first deletes the ids it is about to load (delete_chunks), in
-- the same transaction and under lock_collection, so COPY never meets an
-- existing key: each row is written once, with no staging table.
-- copy-types: text, text, uuid, text, text, jsonb, vector, int4
COPY document_chunk
    (collection, chunk_id, session_id, source, document, metadata, embedding, dimension)
FROM STDIN (FORMAT BINARY);
