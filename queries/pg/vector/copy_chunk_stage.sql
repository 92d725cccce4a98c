-- name: copy_chunk_stage#
-- Binary COPY into the staging table (the statement for cursor.copy()).
COPY document_chunk_stage (chunk_id, session_id, source, document, metadata, embedding)
FROM STDIN (FORMAT BINARY);
