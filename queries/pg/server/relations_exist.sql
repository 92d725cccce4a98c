-- name: relations_exist(names)$
-- How many of the named relations exist (whether an optional layer such as
-- the PostGIS or pgvector one has been applied). Catalog lookups.
SELECT count(*)
FROM unnest(CAST(:names AS text [])) AS n (name)
WHERE to_regclass(n.name) IS NOT NULL;
