-- name: semantic#
-- requires: vector
-- Layer 100: document embeddings for semantic search. Needs pgvector;
-- skipped (with a warning) on a server without it.
--
-- Dimensions: the embedding column has no fixed dimension, so one table holds
-- 384-dimension (a small local model), 768-dimension (the design's local
-- embedder) and 1536-dimension (the store's default) collections side by side.
-- Each collection records its dimension once in vector_collection; a
-- composite foreign key makes every chunk carry its collection's dimension, and
-- a CHECK ties that number to the vector itself. Each dimension in use has a
-- partial HNSW index on the expression embedding::vector(N) WHERE dimension = N:
-- 768 is built in here, any other is created by PgVectorStore when a
-- collection of that dimension is first registered
-- (queries/pg/vector/create_hnsw_index.sql). pgvector indexes at most 2,000
-- dimensions of the vector type, hence the range check.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS vector_collection (
    collection  text        PRIMARY KEY,
    dimension   integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- why: the composite foreign key of document_chunk points at (collection, dimension).
    CONSTRAINT vector_collection_dimension_key UNIQUE (collection, dimension),
    -- why: an HNSW index on the vector type takes 1 to 2,000 dimensions.
    CONSTRAINT vector_collection_dimension_check CHECK (dimension BETWEEN 1 AND 2000),
    -- why: collection names are data, but restricted so they print and log safely.
    CONSTRAINT vector_collection_name_check
        CHECK (collection ~ '^[A-Za-z0-9_.:-]{1,128}$')
);
COMMENT ON TABLE vector_collection IS
    'One row per vector collection: the embedding dimension every chunk of that collection has.';

CREATE TABLE IF NOT EXISTS document_chunk (
    collection  text        NOT NULL,
    chunk_id    text        NOT NULL,
    session_id  uuid        REFERENCES game_session (session_id) ON DELETE CASCADE,
    source      text,
    document    text        NOT NULL,
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    embedding   vector      NOT NULL,
    dimension   integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (collection, chunk_id),
    -- why: a chunk has the dimension its collection was registered with.
    CONSTRAINT document_chunk_collection_fkey FOREIGN KEY (collection, dimension)
        REFERENCES vector_collection (collection, dimension) ON DELETE CASCADE,
    -- why: the dimension column drives the partial HNSW indexes; it must match the vector.
    CONSTRAINT document_chunk_dimension_check CHECK (dimension = vector_dims(embedding)),
    -- why: where= filters use containment (@>), which only means something on objects.
    CONSTRAINT document_chunk_metadata_check CHECK (jsonb_typeof(metadata) = 'object')
);
COMMENT ON TABLE document_chunk IS
    'Document chunks with embeddings. A collection is a namespace; each collection holds vectors of one dimension.';

-- why: cosine nearest-neighbour search (<=>) for 768-dimension embeddings.
CREATE INDEX IF NOT EXISTS document_chunk_hnsw_768
    ON document_chunk USING hnsw ((embedding::vector(768)) vector_cosine_ops)
    WHERE dimension = 768;
COMMENT ON INDEX document_chunk_hnsw_768 IS 'cosine nearest-neighbour search (<=>) for 768-dimension embeddings.';

-- why: where= filters use jsonb containment (@>).
CREATE INDEX IF NOT EXISTS document_chunk_metadata_gin
    ON document_chunk USING gin (metadata jsonb_path_ops);
COMMENT ON INDEX document_chunk_metadata_gin IS 'where= filters use jsonb containment (@>).';

-- why: deleting a game_session cascades here; without it every delete scans the table.
CREATE INDEX IF NOT EXISTS document_chunk_session_idx
    ON document_chunk (session_id) WHERE session_id IS NOT NULL;
COMMENT ON INDEX document_chunk_session_idx IS 'deleting a game_session cascades here; without it every delete scans the table.';

-- A new dimension's HNSW index needs the owner of document_chunk: the writer
-- role calls these SECURITY DEFINER functions (owned by the schema owner,
-- fixed search_path). The index is named document_chunk_hnsw_<N>.
CREATE OR REPLACE FUNCTION babylon_create_hnsw_index(p_dimension integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF p_dimension IS NULL OR p_dimension NOT BETWEEN 1 AND 2000 THEN
        RAISE EXCEPTION 'HNSW index dimension must be 1 to 2000, got %', p_dimension
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass(idx) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE INDEX %I ON document_chunk USING hnsw ((embedding::vector(%s)) vector_cosine_ops) '
        'WHERE dimension = %s',
        idx, p_dimension, p_dimension
    );
    EXECUTE format(
        'COMMENT ON INDEX %I IS %L', idx,
        format('cosine nearest-neighbour search (<=>) for %s-dimension embeddings.', p_dimension)
    );
    RETURN true;
END
$$;
COMMENT ON FUNCTION babylon_create_hnsw_index(integer) IS
    'Create the partial HNSW cosine index document_chunk_hnsw_<N> of one dimension if it is missing; true if created. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_create_hnsw_index(integer) FROM public;

CREATE OR REPLACE FUNCTION babylon_drop_hnsw_index(p_dimension integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    idx text := 'document_chunk_hnsw_' || p_dimension;
BEGIN
    IF to_regclass(idx) IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP INDEX %I', idx);
    RETURN true;
END
$$;
COMMENT ON FUNCTION babylon_drop_hnsw_index(integer) IS
    'Drop the HNSW index of one dimension (before a bulk load; rebuild it with babylon_create_hnsw_index); true if it existed. SECURITY DEFINER.';
REVOKE ALL ON FUNCTION babylon_drop_hnsw_index(integer) FROM public;
