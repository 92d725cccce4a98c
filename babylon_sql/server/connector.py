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

Health (see :mod:`babylon_sql.server.pool`): a call that cannot get a
connection within :data:`FAIL_FAST_SECONDS` probes the server and, if it is
unreachable, raises :class:`~babylon_sql.errors.DatabaseConnectionError`
naming host, port and libpq's reason; a connection that breaks during a call
raises the same error with ``lost=True``. :meth:`Connector.run` (and the
:func:`retry_idempotent` method decorator) run an idempotent call again once
after such a loss.

The public free functions of the seed (``seed_hex_latest(pool, ...)``,
``export_session_to_parquet(pool, ...)``) take a pool or a connector;
:func:`as_connector` turns either into a connector.
"""

from __future__ import annotations

import functools
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import psycopg
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool, PoolTimeout

from babylon_sql.catalogue import queries
from babylon_sql.errors import (
    DatabaseClosedError,
    DatabaseConnectionError,
    SchemaMissingError,
    SessionNotFoundError,
)
from babylon_sql.server.pool import connection_error, probe
from babylon_sql.server.secrets import remember_dsn

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S")

#: Seconds a call waits for a pooled connection before probing the server.
FAIL_FAST_SECONDS = 2.0

Pool = ConnectionPool[psycopg.Connection[Any]]

#: How a session row is locked: ``write`` (FOR NO KEY UPDATE) serialises the
#: writers of one session; ``share`` (FOR KEY SHARE) only keeps the row from
#: being deleted; ``exclusive`` (FOR UPDATE) is the purge's, which waits for
#: every writer.
LockMode = Literal["write", "share", "exclusive"]


def _conninfo(pool: Pool) -> str:
    """The pool's conninfo (psycopg_pool also accepts a callable making it)."""
    conninfo = pool.conninfo
    return conninfo() if callable(conninfo) else conninfo


def _kwargs(pool: Pool) -> dict[str, Any] | None:
    kwargs = pool.kwargs
    return kwargs() if callable(kwargs) else kwargs


class Connector:
    """Connections, transactions and session locks over one psycopg pool.

    The caller creates the pool; an unopened pool is opened here. The
    connector closes the pool only when :meth:`close` is called.
    """

    def __init__(self, pool: Pool, *, name: str = "this connection") -> None:
        self._pool = pool
        self._closed = False
        self._name = name
        remember_dsn(_conninfo(pool))
        _fail_fast(pool)
        if pool.closed:
            probe(_conninfo(pool), _kwargs(pool))  # an unreachable server fails fast
            try:
                pool.open(wait=True)
            except PoolTimeout:
                pool.close()
                probe(_conninfo(pool), _kwargs(pool))
                raise

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

    def _borrow(self, stack: ExitStack) -> psycopg.Connection[Any]:
        """A connection from the pool; an unreachable server fails fast with its reason."""
        pool = self._pool
        fast = min(FAIL_FAST_SECONDS, pool.timeout)
        try:
            return stack.enter_context(pool.connection(timeout=fast))
        except PoolTimeout:
            probe(_conninfo(pool), _kwargs(pool))  # raises when the server is unreachable
            # The server answers: the pool is busy; wait the rest of its timeout.
            return stack.enter_context(pool.connection(timeout=max(pool.timeout - fast, 0.1)))

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection, without a transaction of the toolkit's.

        A connection that breaks inside the block raises
        :class:`DatabaseConnectionError` (``lost=True``).
        """
        self.check_open()
        with _schema_hint(), ExitStack() as stack:
            conn = self._borrow(stack)
            try:
                yield conn
            except psycopg.OperationalError as exc:
                if not (conn.broken or conn.closed):
                    raise
                lost = connection_error(exc, _conninfo(self._pool), lost=True)
            else:
                return
            raise lost  # outside the handler: libpq's text is not kept as __context__

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection inside one transaction (committed on success)."""
        with self.connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection inside one read-only REPEATABLE READ
        transaction: every statement in the block sees the same committed state."""
        with self.connection() as conn:
            saved = conn.read_only, conn.isolation_level
            conn.read_only, conn.isolation_level = True, psycopg.IsolationLevel.REPEATABLE_READ
            try:
                with conn.transaction():
                    yield conn
            finally:
                # The connection goes back to the pool as it came: never left
                # read-only for the next borrower, whatever ended the block.
                if not conn.closed:
                    if conn.info.transaction_status != TransactionStatus.IDLE:
                        conn.rollback()
                    conn.read_only, conn.isolation_level = saved

    def run(self, fn: Callable[[], T], *, idempotent: bool = False) -> T:
        """``fn()``; when idempotent, run again once if the connection was lost.

        Only a :class:`DatabaseConnectionError` with ``lost=True`` is retried
        (a backend terminated or a server restarted during the call); an
        unreachable server, a second loss and every other error propagate.
        Idempotent means running it twice leaves what running it once does:
        reads, and the replace-style writes (``persist_tick``, ``log_tick``,
        ``set_metadata``).
        """
        try:
            return fn()
        except DatabaseConnectionError as exc:
            if not (idempotent and exc.lost):
                raise
            self._pool.check()  # drop the other broken idle connections now
            return fn()

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


def retry_idempotent(
    method: Callable[Concatenate[S, P], T],
) -> Callable[Concatenate[S, P], T]:
    """Mark a method of an object with a ``connector`` as idempotent.

    The call runs through :meth:`Connector.run` with ``idempotent=True``:
    retried once when its connection was lost.
    """

    @functools.wraps(method)
    def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        connector: Connector = getattr(self, "connector")  # noqa: B009
        return connector.run(lambda: method(self, *args, **kwargs), idempotent=True)

    return call


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
    why; :func:`~babylon_sql.server.pool.probe` raises
    :class:`~babylon_sql.errors.ServerUnreachableError` with libpq's reason.
    """
    if pool in _reached:
        return
    if pool.closed or not pool.get_stats().get("pool_available", 0):
        conninfo = pool.conninfo() if callable(pool.conninfo) else pool.conninfo
        kwargs = pool.kwargs() if callable(pool.kwargs) else pool.kwargs
        probe(conninfo or "", kwargs)
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
