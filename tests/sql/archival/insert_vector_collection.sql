-- name: insert_vector_collection(collection, dimension)!
-- Test helper: register a vector collection (document_chunk references it).
INSERT INTO vector_collection (collection, dimension)
VALUES (:collection, :dimension)
ON CONFLICT (collection) DO NOTHING;
