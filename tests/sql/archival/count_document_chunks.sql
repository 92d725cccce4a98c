-- name: count_document_chunks(session_id)$
-- Test helper: document_chunk rows of one session.
SELECT count(*) FROM document_chunk WHERE session_id = :session_id;
