-- name: semantic#
-- requires: vector
-- Layer 100: document embeddings for semantic search. Needs pgvector;
-- skipped (with a warning) on a server without it.
--
-- The embedding column has no fixed dimension: each collection fixes its own
-- (checked on insert), and each dimension in use gets a partial HNSW index on
-- an expression cast to that dimension. 768 (the local embedder) is built in.
CREATE EXTENSION IF NOT EXISTS vector;

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
    -- why: the dimension column drives the partial HNSW indexes; it must match the vector.
    CONSTRAINT document_chunk_dimension_check CHECK (dimension = vector_dims(embedding))
);
COMMENT ON TABLE document_chunk IS
    'Document chunks with embeddings. A collection is a namespace; each collection holds vectors of one dimension.';

-- why: cosine nearest-neighbour search (<=>) for 768-dimension embeddings.
CREATE INDEX IF NOT EXISTS document_chunk_hnsw_768
    ON document_chunk USING hnsw ((embedding::vector(768)) vector_cosine_ops)
    WHERE dimension = 768;

-- why: where= filters use jsonb containment (@>).
CREATE INDEX IF NOT EXISTS document_chunk_metadata_gin
    ON document_chunk USING gin (metadata jsonb_path_ops);
