-- name: create_chunk_stage#
-- A temporary staging table for COPY, dropped at the end of the transaction.
-- COPY cannot upsert: rows land here first, then merge_chunk_stage moves them.
CREATE TEMPORARY TABLE IF NOT EXISTS document_chunk_stage (
    chunk_id    text    NOT NULL,
    session_id  uuid,
    source      text,
    document    text    NOT NULL,
    metadata    jsonb   NOT NULL,
    embedding   vector  NOT NULL
) ON COMMIT DROP;
