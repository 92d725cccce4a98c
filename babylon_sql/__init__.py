"""babylon-sql: SQL-first persistence for large simulations.

Every query and every schema layer is a ``.sql`` file (``queries/``, ``ddl/``)
loaded by aiosql; the classes here bind them to the persistence protocols.
"""

from __future__ import annotations

from typing import Any

from babylon_sql.postgres_runtime import PostgresRuntime
from babylon_sql.protocols import (
    PostgresRuntimeExtensions,
    RuntimePersistence,
    TraceCollector,
    TraceLevel,
    VectorStoreProtocol,
)
from babylon_sql.runtime_schema import RUNTIME_SCHEMA_DDL

__version__ = "0.1.0"

__all__ = [
    "RUNTIME_SCHEMA_DDL",
    "PgVectorStore",
    "PostgresRuntime",
    "PostgresRuntimeExtensions",
    "RuntimeDatabase",
    "RuntimePersistence",
    "TraceCollector",
    "TraceLevel",
    "TraceRecorder",
    "VectorStoreProtocol",
]


def __getattr__(name: str) -> Any:
    # The remaining exports live in modules that import heavier dependencies;
    # load them on first use.
    if name == "RuntimeDatabase":
        from babylon_sql.sqlite_runtime import RuntimeDatabase

        return RuntimeDatabase
    if name == "PgVectorStore":
        from babylon_sql.vector_store import PgVectorStore

        return PgVectorStore
    if name == "TraceRecorder":
        from babylon_sql.tracing import TraceRecorder

        return TraceRecorder
    raise AttributeError(f"module 'babylon_sql' has no attribute {name!r}")
