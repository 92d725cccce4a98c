-- name: lock_collection(collection)$
-- Serialise the writers of one collection for the rest of the transaction, so
-- that a bulk load's delete-then-COPY cannot interleave with another write of
-- the same ids. Keyed by 'vect' in ASCII and the hash of the collection name.
SELECT pg_advisory_xact_lock(1986356340, hashtext(:collection))::text;
