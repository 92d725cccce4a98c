-- name: collection_dimension(collection)$
-- The dimension a collection was registered with, or NULL if it never was.
-- Served by vector_collection's primary key.
SELECT dimension FROM vector_collection WHERE collection = :collection;
