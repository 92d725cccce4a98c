-- name: lock_schema()!
-- Serialise concurrent init_schema() calls for the rest of the transaction.
-- The key is an arbitrary constant: 'babylon' in ASCII.
SELECT pg_advisory_xact_lock(110852647039342);
