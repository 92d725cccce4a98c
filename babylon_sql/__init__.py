"""babylon-sql: SQL-first persistence for large simulations.

Every query and every schema layer is a ``.sql`` file (``queries/``, ``ddl/``)
loaded by aiosql; the classes here bind them to the persistence protocols.
"""

from __future__ import annotations

from babylon_sql.protocols import (
    PostgresRuntimeExtensions,
    RuntimePersistence,
    TraceCollector,
    TraceLevel,
    VectorStoreProtocol,
)
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.runtime.sqlite import RuntimeDatabase
from babylon_sql.runtime_schema import RUNTIME_SCHEMA_DDL
from babylon_sql.traces.store import TraceRecorder
from babylon_sql.vector.store import PgVectorStore

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
