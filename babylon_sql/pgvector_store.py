"""Seed module name: the vector store lives in :mod:`babylon_sql.vector.store`."""

from babylon_sql.vector.store import (
    Chunk,
    PgVectorStore,
)

__all__ = [
    "Chunk",
    "PgVectorStore",
]
