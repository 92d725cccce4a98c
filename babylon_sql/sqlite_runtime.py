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
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import networkx as nx

from babylon_sql import codec
from babylon_sql.catalogue import queries, run_batched
from babylon_sql.errors import DatabaseClosedError, ValidationError
from babylon_sql.graph_codec import (
    MAX_DOCUMENT_BYTES,
    build_graph,
    check_tick,
    encode_graph,
    json_or_none,
)
from babylon_sql.postgres_runtime import (
    _check_metadata,
    _finite_or_none,
    _tick_log_dict,
    check_session_id,
)
from babylon_sql.runtime_schema import RUNTIME_SCHEMA_DDL

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")


def default_run_id() -> str:
    """A timestamp run id, unique to the microsecond: ``run_20240501T120000_123456``."""
    return datetime.now(UTC).strftime("run_%Y%m%dT%H%M%S_%f")


class RuntimeDatabase:
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
        self._q = queries("sqlite")
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

    def _sid(self, session_id: Any) -> str:
        return self.run_id if session_id is None else str(check_session_id(session_id))

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

    def persist_tick(
        self,
        tick: int,
        graph: nx.DiGraph[Any],
        events: Sequence[Mapping[str, Any]] | None = None,
        *,
        session_id: uuid.UUID | None = None,
    ) -> None:
        """Write the whole snapshot of ``tick`` in one transaction (replacing it)."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        encoded = encode_graph(graph, events, max_document_bytes=self.max_document_bytes)
        g = self._q.graph
        with self.transaction() as conn:
            g.delete_tick_events(conn, session_id=sid, tick=tick)
            g.delete_tick_edges(conn, session_id=sid, tick=tick)
            g.delete_tick_nodes(conn, session_id=sid, tick=tick)
            g.delete_graph_snapshot(conn, session_id=sid, tick=tick)
            g.insert_graph_snapshot(
                conn,
                session_id=sid,
                tick=tick,
                directed=1,
                graph_attrs=encoded.graph_attrs,
                node_count=len(encoded.nodes),
                edge_count=len(encoded.edges),
            )
            run_batched(
                g.insert_node_state,
                conn,
                ((sid, tick, *n) for n in encoded.nodes),
            )
            run_batched(
                g.insert_edge_state,
                conn,
                ((sid, tick, *e) for e in encoded.edges),
            )
            run_batched(
                g.insert_simulation_events,
                conn,
                (
                    {
                        "session_id": sid,
                        "tick": tick,
                        "seq": seq,
                        "event_type": event_type,
                        "payload": payload,
                    }
                    for seq, event_type, payload in encoded.events
                ),
            )

    def latest_tick(self, *, session_id: uuid.UUID | None = None) -> int | None:
        """The newest persisted tick of a session, or ``None``."""
        value = self._q.graph.latest_tick(self.connection, session_id=self._sid(session_id))
        return None if value is None else int(value)

    def hydrate_graph(
        self, tick: int | None = None, *, session_id: uuid.UUID | None = None
    ) -> nx.DiGraph[Any]:
        """The graph persisted at ``tick`` (``None``: the latest); empty if none."""
        sid = self._sid(session_id)
        if tick is not None:
            tick = check_tick(tick)
        g = self._q.graph
        with self.transaction() as conn:
            if tick is None:
                tick = g.latest_tick(conn, session_id=sid)
                if tick is None:
                    return nx.DiGraph()
            header = g.get_graph_snapshot(conn, session_id=sid, tick=tick)
            if header is None:
                return nx.DiGraph()
            nodes = g.select_nodes(conn, session_id=sid, tick=tick)
            edges = g.select_edges(conn, session_id=sid, tick=tick)
            return build_graph(header[2], nodes, edges)

    def get_events(
        self, tick: int | None = None, *, session_id: uuid.UUID | None = None
    ) -> list[dict[str, Any]]:
        """Events of one tick (or of all ticks), in order, as persisted."""
        if tick is not None:
            tick = check_tick(tick)
        rows = self._q.graph.select_events(
            self.connection, session_id=self._sid(session_id), tick=tick
        )
        return [
            {"tick": t, "seq": seq, "event_type": et, "payload": codec.loads(p)}
            for t, seq, et, p in rows
        ]

    def log_tick(
        self,
        tick: int,
        rng_state: Any = None,
        mutations: Any = None,
        invariant_checks: Any = None,
        wall_time_ms: float | None = None,
        system_timings: Mapping[str, float] | None = None,
        *,
        session_id: uuid.UUID | None = None,
    ) -> None:
        """Record replay metadata of a tick; logging it again replaces it."""
        tick = check_tick(tick)
        limit = self.max_document_bytes
        params = {
            "session_id": self._sid(session_id),
            "tick": tick,
            "rng_state": json_or_none(rng_state, "rng_state", limit),
            "mutations": json_or_none(mutations, "mutations", limit),
            "invariant_checks": json_or_none(invariant_checks, "invariant_checks", limit),
            "wall_time_ms": _finite_or_none(wall_time_ms, "wall_time_ms"),
            "system_timings": json_or_none(system_timings, "system_timings", limit),
        }
        with self.transaction() as conn:
            self._q.ticks.upsert_tick_log(conn, **params)

    def get_tick_log(
        self, tick: int, *, session_id: uuid.UUID | None = None
    ) -> dict[str, Any] | None:
        """Replay metadata of a tick, or ``None``."""
        tick = check_tick(tick)
        row = self._q.ticks.get_tick_log(
            self.connection, session_id=self._sid(session_id), tick=tick
        )
        return None if row is None else _tick_log_dict(row)

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

    def set_metadata(self, key: str, value: str, *, session_id: uuid.UUID | None = None) -> None:
        """Store a key/value pair (of the run, or of a session when given)."""
        _check_metadata(key, value)
        with self.transaction() as conn:
            if session_id is None:
                self._q.metadata.set_runtime_metadata(conn, key=key, value=value)
            else:
                self._q.metadata.set_session_metadata(
                    conn, session_id=self._sid(session_id), key=key, value=value
                )

    def get_metadata(self, key: str, *, session_id: uuid.UUID | None = None) -> str | None:
        """A metadata value, or ``None``."""
        if not isinstance(key, str):
            raise ValidationError(f"metadata key must be str, got {type(key).__name__}")
        if session_id is None:
            value = self._q.metadata.get_runtime_metadata(self.connection, key=key)
        else:
            value = self._q.metadata.get_session_metadata(
                self.connection, session_id=self._sid(session_id), key=key
            )
        return None if value is None else str(value)


def _finite_number(value: Any, name: str) -> float:
    result = _finite_or_none(value, name)
    if result is None:
        raise ValidationError(f"{name} is required")
    return result
