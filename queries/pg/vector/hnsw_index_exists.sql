-- name: hnsw_index_exists(index_name)$
-- Whether the named index exists (checked first so that an existing index
-- costs no table lock: CREATE INDEX IF NOT EXISTS locks the table even when it
-- skips). A catalogue lookup, no user index.
SELECT to_regclass(:index_name) IS NOT NULL;
