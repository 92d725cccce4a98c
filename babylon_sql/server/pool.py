"""Connection pools, opened explicitly, with per-connection setup in ``configure=``.

A pool from :func:`open_pool` heals itself:

- every connection is checked when it is lent (``check=`` runs
  ``ConnectionPool.check_connection``, one empty query), so a connection
  whose backend was terminated or whose server restarted is replaced
  instead of failing the call. When one fails its check, every other idle
  connection is checked at once (``pool.check()``): psycopg_pool would
  otherwise sleep a growing backoff (1 s, 2 s, 4 s ...) between the stale
  connections it finds one by one;
- lost connections are re-made in the background with exponential backoff
  for up to ``reconnect_timeout`` seconds (psycopg_pool's own);
- an unreachable server fails fast: :func:`open_pool` and every
  :class:`~babylon_sql.server.connector.Connector` call raise
  :class:`~babylon_sql.errors.DatabaseConnectionError` naming the host, the
  port and libpq's reason (password removed) within a few seconds, not a
  30 s ``PoolTimeout``.
"""

from __future__ import annotations

import os
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from babylon_sql.errors import DatabaseConnectionError, ServerUnreachableError
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.secrets import redact, remember_dsn, split_password

#: ``connect_timeout`` (seconds) of the direct connection that diagnoses an outage.
PROBE_TIMEOUT = 3
#: Seconds psycopg_pool keeps trying to re-make lost connections (with backoff).
RECONNECT_TIMEOUT = 60.0


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


def endpoint(conninfo: str) -> tuple[str, str]:
    """The host and port ``conninfo`` points at, as libpq would pick them."""
    try:
        params = conninfo_to_dict(conninfo)
    except Exception:
        params = {}
    host = str(params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "")
    port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
    return host or "(default unix socket)", port


def connection_error(exc: BaseException, conninfo: str, *, lost: bool) -> DatabaseConnectionError:
    """A typed error naming host, port and libpq's reason, without the password."""
    host, port = endpoint(conninfo)
    reason = "; ".join(
        line.strip() for line in redact(str(exc), conninfo).splitlines() if line.strip()
    )
    reason = reason or type(exc).__name__
    if lost:
        message = (
            f"lost the connection to PostgreSQL at host {redact(host, conninfo)}, port {port}: "
            f"{reason}; the call was rolled back (idempotent calls are retried once), "
            "run it again when the server is back"
        )
    else:
        message = (
            f"cannot connect to PostgreSQL at host {redact(host, conninfo)}, port {port}: "
            f"{reason}; check that the server is running and the DSN "
            "(--dsn, BABYLON_DSN or the PG* variables)"
        )
    if not lost:
        return ServerUnreachableError(message, host=host, port=port, reason=reason)
    return DatabaseConnectionError(message, host=host, port=port, reason=reason, lost=lost)


def probe(conninfo: str, kwargs: dict[str, Any] | None = None) -> None:
    """Connect once directly; raise :class:`DatabaseConnectionError` with libpq's reason."""
    params = {**(kwargs or {}), "connect_timeout": PROBE_TIMEOUT}
    try:
        psycopg.connect(conninfo, **params).close()
    except psycopg.Error as exc:
        error = connection_error(exc, conninfo, lost=False)
    else:
        return
    # Raised outside the handler: libpq's original text (which may quote the
    # DSN) is not kept as the typed error's __context__.
    raise error


class SweepingCheck:
    """The ``check=`` of :func:`open_pool`'s pools (see the module docstring)."""

    def __init__(self) -> None:
        self.pool: ConnectionPool[psycopg.Connection[Any]] | None = None

    def __call__(self, conn: psycopg.Connection[Any]) -> None:
        try:
            ConnectionPool.check_connection(conn)
        except Exception:
            if self.pool is not None:
                self.pool.check()  # discard the other stale connections now
            raise


def open_pool(
    dsn: str | None = None,
    *,
    min_size: int = 1,
    max_size: int = 4,
    reconnect_timeout: float = RECONNECT_TIMEOUT,
    **kwargs: Any,
) -> ConnectionPool[psycopg.Connection[Any]]:
    """Open a pool on ``dsn`` (resolved by :func:`babylon_sql.server.resolve_dsn`).

    Connections are checked on checkout and re-made with backoff (see the
    module docstring). A malformed DSN raises
    :class:`~babylon_sql.errors.ConfigurationError`, an unreachable server
    :class:`~babylon_sql.errors.DatabaseConnectionError`, both without the
    password. The caller owns the pool and closes it (or uses it in a
    ``with`` block).
    """
    conninfo = resolve_dsn(dsn)
    remember_dsn(conninfo)
    split_password(conninfo)  # a malformed DSN fails here, redacted
    probe(conninfo, kwargs.get("kwargs"))
    sweeping = SweepingCheck()
    kwargs.setdefault("check", sweeping)
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        conninfo,
        min_size=min_size,
        max_size=max_size,
        configure=configure_connection,
        reconnect_timeout=reconnect_timeout,
        open=False,
        **kwargs,
    )
    sweeping.pool = pool
    try:
        pool.open(wait=True)
    except PoolTimeout:
        pool.close()
        probe(conninfo, kwargs.get("kwargs"))
        raise
    return pool


# --------------------------------------------------------------------------
# fail fast
