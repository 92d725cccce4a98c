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

from babylon_sql.catalogue import queries, run_batched
from babylon_sql.errors import DatabaseClosedError, ValidationError
from babylon_sql.input.fields import check_session_id, check_tick
from babylon_sql.runtime.core import RuntimeCore, finite_or_none, snapshot_header
from babylon_sql.runtime.graph import MAX_DOCUMENT_BYTES, GraphEncoder
from babylon_sql.runtime_schema import RUNTIME_SCHEMA_DDL

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


def default_run_id() -> str:
    """A timestamp run id, unique to the microsecond: ``run_20240501T120000_123456``."""
    return datetime.now(UTC).strftime("run_%Y%m%dT%H%M%S_%f")


class RuntimeDatabase(RuntimeCore):
    """Tick persistence in SQLite.

    ``in_memory=True`` uses ``:memory:``; otherwise a file in WAL mode.
    Foreign keys are enforced. Use as a context manager or call ``close()``.
    """

    def __init__(
        self,
        run_id: str | None = None,
        in_memory: bool = False,
        *,
        base_dir: str | Path | None = None,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
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
            self._q.pragma.configure_memory(self._conn)
        else:
            folder = Path(base_dir) if base_dir is not None else Path.cwd() / "data" / "runs"
            folder.mkdir(parents=True, exist_ok=True)
            self.path = folder / f"{self.run_id}.sqlite"
            self._conn = sqlite3.connect(self.path)
            self._q.pragma.configure_file(self._conn)
        self._depth = 0
        for script in RUNTIME_SCHEMA_DDL:
            self._conn.executescript(script)

    # -- plumbing ---------------------------------------------------------

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
        finally:
            self._depth = 0

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
        run_batched(g.insert_node_state, conn, encoder.node_rows(sid, tick))
        run_batched(g.insert_edge_state, conn, encoder.edge_rows(sid, tick))

    def close(self) -> None:
        """Close the database (idempotent)."""
        if self._conn is not None:
            self._conn.close()
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
        c = _finite_number(total_c, "total_c")
        v = _finite_number(total_v, "total_v")
        s = _finite_number(total_s, "total_s")
        consciousness = _finite_number(avg_consciousness, "avg_consciousness")
        if isinstance(uprising_count, bool) or not isinstance(uprising_count, int):
            raise ValidationError(f"uprising_count must be an int, got {uprising_count!r}")
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


def _finite_number(value: Any, name: str) -> float:
    result = finite_or_none(value, name)
    if result is None:
        raise ValidationError(f"{name} is required")
    return result
