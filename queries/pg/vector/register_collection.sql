-- name: register_collection(collection, dimension)$
-- Record a collection's dimension on first use and return the dimension it
-- has: the new one, or the one registered earlier (the caller compares them).
-- The no-op update makes RETURNING report an existing row as well, race-free.
-- Served by vector_collection's primary key.
INSERT INTO vector_collection (collection, dimension)
VALUES (:collection, :dimension)
ON CONFLICT (collection) DO UPDATE SET collection = excluded.collection
RETURNING dimension;
