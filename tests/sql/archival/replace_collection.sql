-- name: replace_collection(collection, dimension)!
-- Test helper: give a vector collection without chunks another dimension.
UPDATE vector_collection SET dimension = :dimension WHERE collection = :collection;
