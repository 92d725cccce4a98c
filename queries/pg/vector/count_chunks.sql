-- name: count_chunks(collection)$
-- Number of chunks in one collection. Served by the primary key's leading
-- column (an index-only scan once the table is vacuumed).
SELECT count(*) FROM document_chunk WHERE collection = :collection;
