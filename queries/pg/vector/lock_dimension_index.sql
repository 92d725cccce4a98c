-- name: lock_dimension_index(dimension)$
-- Serialise the creation of one dimension's HNSW index for the rest of the
-- transaction (two stores registering the same new dimension at once).
-- The first key is an arbitrary constant: 'hnsw' in ASCII.
SELECT pg_advisory_xact_lock(1752067703, :dimension)::text;
