-- name: relation_persistence(name)$
-- Test helper: 'u' for an UNLOGGED relation, 'p' for a permanent one, NULL if absent.
SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass(:name);
