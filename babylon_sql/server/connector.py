"""The one owner of PostgreSQL connections: pool, transactions, the closed check, session locks.

Every PostgreSQL part of the toolkit (runtime, hex journal, traces, archive,
vector store) reaches the server through a :class:`Connector`:

- ``transaction()`` lends a pooled connection inside one transaction, committed
  when the block ends and rolled back on any error, so a refused or failed
  call leaves nothing half-written;
- ``connection()`` lends one without opening a transaction (for work that
  manages its own, such as a schema apply);
- ``lock_session(conn, session_id, mode)`` checks that a ``game_session`` row
  exists and locks it for the rest of the transaction, raising
  :class:`~babylon_sql.errors.SessionNotFoundError` otherwise. The three modes
  are the three queries of ``queries/pg/server/lock_session*.sql``.

The public free functions of the seed (``seed_hex_latest(pool, ...)``,
``export_session_to_parquet(pool, ...)``) take a pool or a connector;
:func:`as_connector` turns either into a connector.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.catalogue import queries
from babylon_sql.errors import DatabaseClosedError, SchemaMissingError, SessionNotFoundError

Pool = ConnectionPool[psycopg.Connection[Any]]

#: How a session row is locked: ``write`` (FOR NO KEY UPDATE) serialises the
#: writers of one session; ``share`` (FOR KEY SHARE) only keeps the row from
#: being deleted; ``exclusive`` (FOR UPDATE) is the purge's, which waits for
#: every writer.
LockMode = Literal["write", "share", "exclusive"]


class Connector:
    """Connections, transactions and session locks over one psycopg pool.

    The caller creates the pool; an unopened pool is opened here. The
    connector closes the pool only when :meth:`close` is called.
    """

    def __init__(self, pool: Pool, *, name: str = "this connection") -> None:
        self._pool = pool
        self._closed = False
        self._name = name
        _fail_fast(pool)
        if pool.closed:
            pool.open(wait=True)

    @property
    def pool(self) -> Pool:
        """The underlying connection pool."""
        return self._pool

    @property
    def closed(self) -> bool:
        return self._closed or self._pool.closed

    def check_open(self) -> None:
        """Raise :class:`DatabaseClosedError` when the connector or its pool is closed."""
        if self.closed:
            raise DatabaseClosedError(f"{self._name} is closed; create a new one")

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection, without a transaction of the toolkit's."""
        self.check_open()
        with _schema_hint(), self._pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection inside one transaction (committed on success)."""
        self.check_open()
        with _schema_hint(), self._pool.connection() as conn, conn.transaction():
            yield conn

    def lock_session(
        self, conn: psycopg.Connection[Any], session_id: uuid.UUID, mode: LockMode = "write"
    ) -> None:
        """Lock the session's row for the rest of the transaction, or raise if unknown."""
        q = queries("pg").server
        if mode == "write":
            found = q.lock_session(conn, session_id=session_id)
        elif mode == "share":
            found = q.lock_session_key_share(conn, session_id=session_id)
        else:
            found = q.lock_session_for_update(conn, session_id=session_id)
        if found is None:
            raise SessionNotFoundError(
                f"session {session_id} does not exist; create it first with "
                "PostgresRuntime.create_session() (it returns the new session's UUID)"
            )

    def close(self) -> None:
        """Close the pool (idempotent)."""
        if not self._closed:
            self._closed = True
            self._pool.close()


def as_connector(db: Connector | Pool) -> Connector:
    """The connector of ``db``: itself, or a new one over a caller's pool."""
    if isinstance(db, Connector):
        return db
    if isinstance(db, ConnectionPool):
        return Connector(db)
    raise TypeError(
        f"expected a psycopg_pool.ConnectionPool or a Connector, got {type(db).__name__}"
    )


def _fail_fast(pool: Pool) -> None:
    """Check that a pool without a ready connection can reach its server.

    Without this, a pool retries in the background and its first
    ``connection()`` ends after 30 s in a ``PoolTimeout`` that does not say
    why; :func:`~babylon_sql.server.pool.check_reachable` raises
    :class:`~babylon_sql.errors.ServerUnreachableError` with libpq's reason.
    """
    from babylon_sql.server.pool import check_reachable

    if pool in _reached:
        return
    if pool.closed or not pool.get_stats().get("pool_available", 0):
        conninfo = pool.conninfo() if callable(pool.conninfo) else pool.conninfo
        kwargs = pool.kwargs() if callable(pool.kwargs) else pool.kwargs
        check_reachable(conninfo or "", **(kwargs or {}))
    _reached.add(pool)


#: Pools whose server answered once: checked no more (a pool's own retries
#: cover later outages; the check is for a first connection that never comes).
_reached: weakref.WeakSet[Pool] = weakref.WeakSet()


@contextmanager
def _schema_hint() -> Iterator[None]:
    """Turn "relation does not exist" into :class:`SchemaMissingError` saying what to run."""
    try:
        yield
    except psycopg.errors.UndefinedTable as exc:
        raise SchemaMissingError(
            f"{exc.diag.message_primary or exc}: this database lacks the babylon-sql schema "
            "(or part of it); apply it with PostgresRuntime.init_schema() or "
            "`babylon-sql schema apply`"
        ) from exc
