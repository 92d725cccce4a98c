"""Connection pools, opened explicitly, with per-connection setup in ``configure=``."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.server.embedded import resolve_dsn


def configure_connection(conn: psycopg.Connection[Any]) -> None:
    """Per-connection setup: register the pgvector type where it exists.

    Used as the pool's ``configure=`` hook, so every connection of the pool
    sends and receives ``vector`` values as numpy arrays.
    """
    from pgvector.psycopg import register_vector

    try:
        register_vector(conn)
    except psycopg.ProgrammingError:
        # The vector extension is not created in this database (yet).
        pass
    finally:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.rollback()


def open_pool(
    dsn: str | None = None, *, min_size: int = 1, max_size: int = 4, **kwargs: Any
) -> ConnectionPool[psycopg.Connection[Any]]:
    """Open a pool on ``dsn`` (resolved by :func:`babylon_sql.server.resolve_dsn`).

    The caller owns the pool and closes it (or uses it in a ``with`` block).
    """
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        resolve_dsn(dsn),
        min_size=min_size,
        max_size=max_size,
        configure=configure_connection,
        open=False,
        **kwargs,
    )
    pool.open(wait=True)
    return pool
