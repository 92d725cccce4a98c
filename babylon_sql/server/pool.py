"""Connection pools, opened explicitly, with per-connection setup in ``configure=``."""

from __future__ import annotations

import os
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.errors import ServerUnreachableError
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
    An unreachable server raises :class:`~babylon_sql.errors.ServerUnreachableError`
    within :data:`CONNECT_CHECK_TIMEOUT` seconds (see :func:`check_reachable`).
    """
    conninfo = resolve_dsn(dsn)
    check_reachable(conninfo)
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        conninfo,
        min_size=min_size,
        max_size=max_size,
        configure=configure_connection,
        open=False,
        **kwargs,
    )
    pool.open(wait=True)
    return pool


# --------------------------------------------------------------------------
# fail fast

#: Seconds a reachability check waits for the server (libpq ``connect_timeout``).
CONNECT_CHECK_TIMEOUT = 5


def check_reachable(conninfo: str, *, timeout: int = CONNECT_CHECK_TIMEOUT, **kwargs: Any) -> None:
    """Open and close one connection, or raise :class:`ServerUnreachableError` at once.

    A pool retries failed connections in the background and ends, after its
    ``timeout`` (30 s by default), in a ``PoolTimeout`` that does not say why.
    This check gives libpq's reason instead, naming host and port (never the
    password), within ``timeout`` seconds (a ``connect_timeout`` in the DSN
    that is shorter wins). ``kwargs`` are connection arguments, as a pool's
    ``kwargs=`` holds them.
    """
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(conninfo)
    given = params.get("connect_timeout")
    wait = timeout if given is None else min(int(str(given)), timeout) or timeout
    try:
        psycopg.connect(make_conninfo(conninfo, connect_timeout=wait), **kwargs).close()
    except psycopg.OperationalError as exc:
        host = str(params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "")
        port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
        where = f"host {host}" if host else "the default local socket"
        reason = " ".join(str(exc).split())
        raise ServerUnreachableError(
            f"cannot connect to PostgreSQL at {where}, port {port}: {reason} "
            "(check the server and the DSN: --dsn, BABYLON_DSN or the PG* variables)",
            host=host,
            port=port,
            reason=reason,
        ) from None
