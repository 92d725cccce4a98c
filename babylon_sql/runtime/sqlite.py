"""SQLite implementation of RuntimePersistence: one file per run.

``RuntimeDatabase(run_id)`` keeps its file at ``data/runs/{run_id}.sqlite``
under the working directory (or under ``base_dir``). Rows carry a
``session_id``: the UUID a caller passes, else the run id, so several
sessions may share a file without meeting. Same codec, same semantics and
same validation as :class:`~babylon_sql.postgres_runtime.PostgresRuntime`.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from babylon_sql.catalogue import queries
from babylon_sql.errors import DatabaseClosedError, DatabaseLockedError, ValidationError
from babylon_sql.input.fields import check_float, check_int, check_session_id, check_tick
from babylon_sql.runtime.core import RuntimeCore, snapshot_header
from babylon_sql.runtime.graph import MAX_DOCUMENT_BYTES, GraphBuilder, GraphEncoder
from babylon_sql.server.migrations import migrate_sqlite

#: Seconds a writer waits for another process's write lock on the same file
#: before :class:`~babylon_sql.errors.DatabaseLockedError` (``busy_timeout=``).
BUSY_TIMEOUT = 5.0

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


def default_run_id() -> str:
    """A timestamp run id, unique to the microsecond: ``run_20240501T120000_123456``."""
    return datetime.now(UTC).strftime("run_%Y%m%dT%H%M%S_%f")


class RuntimeDatabase(RuntimeCore):
    """Tick persistence in SQLite.

    ``in_memory=True`` uses ``:memory:``; otherwise a file in WAL mode.
    Foreign keys are enforced. Use as a context manager or call ``close()``.

    Locks: readers never wait (WAL). A writer waits up to ``busy_timeout``
    seconds (default :data:`BUSY_TIMEOUT`, 5 s) for another process's write
    transaction on the same file, then raises
    :class:`~babylon_sql.errors.DatabaseLockedError` naming the file; the
    call is rolled back and nothing of it is written.
    """

    def __init__(
        self,
        run_id: str | None = None,
        in_memory: bool = False,
        *,
        base_dir: str | Path | None = None,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, int | float):
            raise ValidationError(f"busy_timeout must be seconds (a number), got {busy_timeout!r}")
        if not 0 <= busy_timeout <= 86_400:
            raise ValidationError(f"busy_timeout must be 0-86400 seconds, got {busy_timeout!r}")
        self.busy_timeout = float(busy_timeout)
        self.run_id = run_id if run_id is not None else default_run_id()
        if not isinstance(self.run_id, str) or not _RUN_ID.match(self.run_id):
            raise ValidationError(
                "run_id must be 1-128 letters, digits, '_', '.', '-' (no path), "
                f"got {self.run_id!r}"
            )
        self.max_document_bytes = max_document_bytes
        self.in_memory = in_memory
        self._q = queries("sqlite").runtime
        if in_memory:
            self.path: Path | None = None
            self._conn: sqlite3.Connection | None = sqlite3.connect(":memory:")
            self._closed_conn: sqlite3.Connection = self._conn
            self._q.pragma.configure_memory(self._conn)
        else:
            folder = Path(base_dir) if base_dir is not None else Path.cwd() / "data" / "runs"
            folder.mkdir(parents=True, exist_ok=True)
            self.path = folder / f"{self.run_id}.sqlite"
            self._conn = sqlite3.connect(self.path, timeout=self.busy_timeout)
            self._closed_conn = self._conn
            try:
                self._q.pragma.configure_file(self._conn)
            except sqlite3.OperationalError as exc:
                self._conn.close()
                if _is_lock_timeout(exc):
                    raise self._locked() from exc
                raise
        self._depth = 0
        # A new file gets ddl/sqlite/ and is stamped at the latest version; an
        # older one runs its pending migrations (ddl/sqlite/migrations/).
        try:
            migrate_sqlite(self._conn)
        except sqlite3.OperationalError as exc:
            self._conn.close()
            if _is_lock_timeout(exc):
                raise self._locked() from exc
            raise

    # -- plumbing ---------------------------------------------------------

    @property
    def db_path(self) -> Path | None:
        """The run file (a ``Path``), or ``None`` in memory (the original's name for ``path``)."""
        return self.path

    @property
    def con(self) -> sqlite3.Connection:
        """The ``sqlite3`` connection (the original's name for :attr:`connection`).

        After :meth:`close` it is the closed connection, on which ``execute``
        raises ``sqlite3.ProgrammingError`` as the original's did.
        """
        return self._conn if self._conn is not None else self._closed_conn

    def __repr__(self) -> str:
        where = ":memory:" if self.path is None else str(self.path)
        return f"RuntimeDatabase(run_id={self.run_id!r}, path={where})"

    @property
    def connection(self) -> sqlite3.Connection:
        """The open ``sqlite3`` connection."""
        if self._conn is None:
            raise DatabaseClosedError(f"RuntimeDatabase {self.run_id!r} is closed")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back on error.

        Nested blocks join the outer transaction.
        """
        conn = self.connection
        if self._depth:
            self._depth += 1
            try:
                yield conn
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with conn:
                yield conn
        except sqlite3.OperationalError as exc:
            if _is_lock_timeout(exc):
                raise self._locked() from exc
            raise
        finally:
            self._depth = 0

    def _locked(self) -> DatabaseLockedError:
        """The error of a write that waited ``busy_timeout`` for another writer."""
        return DatabaseLockedError(
            f"{self.path or ':memory:'} is locked by another writer: waited "
            f"{self.busy_timeout:g} s (busy_timeout=) for its write transaction to end; "
            "nothing of this call was written. Retry when that process has committed, "
            "or give a longer busy_timeout="
        )

    @property
    def journal_mode(self) -> str:
        """``wal`` for a run file, ``memory`` in memory."""
        return str(self._q.pragma.journal_mode(self.connection))

    @property
    def foreign_keys(self) -> bool:
        """Whether foreign keys are enforced (always, by construction)."""
        return bool(self._q.pragma.foreign_keys(self.connection))

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return self.transaction()

    def _sid(self, session_id: Any) -> str:
        return self.run_id if session_id is None else str(check_session_id(session_id))

    def _lock_session(self, conn: sqlite3.Connection, sid: Any) -> None:
        """Sessions are implicit in a run file: any UUID (or the run id) is one."""

    def _metadata_sid(self, session_id: Any) -> str | None:
        return None if session_id is None else str(check_session_id(session_id))

    def _write_graph_rows(
        self, conn: sqlite3.Connection, sid: Any, tick: int, encoder: GraphEncoder
    ) -> None:
        g = self._q.graph
        g.delete_tick_edges(conn, session_id=sid, tick=tick)
        g.delete_tick_nodes(conn, session_id=sid, tick=tick)
        g.delete_graph_snapshot(conn, session_id=sid, tick=tick)
        g.insert_graph_snapshot(conn, **snapshot_header(sid, tick, encoder))
        # A chunk row holds up to CHUNK_ROWS nodes (or edges) as one JSON
        # array: SQLite stores a few dozen rows a tick instead of one per
        # node and edge, each encoded by one orjson call and written at once.
        for first_ord, nodes in encoder.node_chunks():
            g.insert_node_chunk(conn, session_id=sid, tick=tick, first_ord=first_ord, nodes=nodes)
        for first_ord, edges in encoder.edge_chunks():
            g.insert_edge_chunk(conn, session_id=sid, tick=tick, first_ord=first_ord, edges=edges)

    def _read_graph_rows(
        self, conn: sqlite3.Connection, builder: GraphBuilder, params: dict[str, Any]
    ) -> None:
        g = self._q.graph
        builder.add_node_chunks(doc for (doc,) in conn.execute(g.select_node_chunks.sql, params))
        builder.add_edge_chunks(doc for (doc,) in conn.execute(g.select_edge_chunks.sql, params))

    def close(self) -> None:
        """Close the database (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._closed_conn = self._conn
            self._conn = None

    def __enter__(self) -> RuntimeDatabase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- RuntimePersistence ----------------------------------------------

    def record_tick_summary(
        self,
        tick: int,
        total_c: float,
        total_v: float,
        total_s: float,
        avg_consciousness: float,
        uprising_count: int,
        *,
        session_id: uuid.UUID | None = None,
    ) -> None:
        """Aggregate metrics of a tick (legacy ``SimulationDB`` layout).

        Computed: rate of surplus value ``s/v``, rate of profit ``s/(c+v)``
        and organic composition ``c/v``; each is ``None`` when its
        denominator is zero.
        """
        tick = check_tick(tick)
        c = check_float(total_c, "total_c")
        v = check_float(total_v, "total_v")
        s = check_float(total_s, "total_s")
        consciousness = check_float(avg_consciousness, "avg_consciousness")
        uprising_count = check_int(uprising_count, "uprising_count")
        with self.transaction() as conn:
            self._q.ticks.upsert_tick_summary(
                conn,
                session_id=self._sid(session_id),
                tick=tick,
                total_c=c,
                total_v=v,
                total_s=s,
                avg_consciousness=consciousness,
                uprising_count=uprising_count,
                rate_of_surplus=s / v if v else None,
                rate_of_profit=s / (c + v) if (c + v) else None,
                organic_composition=c / v if v else None,
            )

    def get_tick_summary(
        self, tick: int, *, session_id: uuid.UUID | None = None
    ) -> dict[str, Any] | None:
        """The aggregate metrics of a tick, or ``None``."""
        tick = check_tick(tick)
        row = self._q.ticks.get_tick_summary(
            self.connection, session_id=self._sid(session_id), tick=tick
        )
        if row is None:
            return None
        names = (
            "tick", "total_c", "total_v", "total_s", "avg_consciousness", "uprising_count",
            "rate_of_surplus", "rate_of_profit", "organic_composition",
        )  # fmt: skip
        return dict(zip(names, row, strict=True))


def _is_lock_timeout(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED") or (
        "database is locked" in str(exc)
    )
