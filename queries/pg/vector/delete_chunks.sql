-- name: delete_chunks(collection, chunk_ids)!
-- Delete the chunks of these ids from one collection; unknown ids are ignored.
-- Served by the primary key (collection, chunk_id).
DELETE FROM document_chunk
WHERE collection = :collection AND chunk_id = ANY(:chunk_ids);
