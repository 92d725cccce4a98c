"""PostgreSQL implementation of RuntimePersistence and PostgresRuntimeExtensions."""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.errors import DatabaseClosedError
from babylon_sql.schema import SchemaReport, apply_schema


class PostgresRuntime:
    """Tick persistence on PostgreSQL through a psycopg 3 pool.

    The caller creates the pool (and may open it); ``close()`` closes it.
    """

    def __init__(self, pool: ConnectionPool[psycopg.Connection[Any]]) -> None:
        self._pool = pool
        self._closed = False
        if pool.closed:
            pool.open(wait=True)

    @property
    def pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        """The underlying connection pool."""
        return self._pool

    def _check_open(self) -> None:
        if self._closed or self._pool.closed:
            raise DatabaseClosedError("this PostgresRuntime is closed; create a new one")

    def init_schema(self, require: Iterable[str] = ()) -> SchemaReport:
        """Apply every schema layer the server supports; safe to call repeatedly.

        Layers whose extension (PostGIS, pgvector) the server lacks are skipped
        with a warning naming their objects; ``require=("postgis", "vector")``
        turns that into :class:`~babylon_sql.errors.MissingExtensionError`.
        """
        self._check_open()
        with self._pool.connection() as conn:
            return apply_schema(conn, require=require)

    def close(self) -> None:
        """Close the connection pool."""
        if not self._closed:
            self._closed = True
            self._pool.close()

    def __enter__(self) -> PostgresRuntime:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
