"""What both RuntimePersistence backends share.

The query catalogue gives the SQLite and PostgreSQL dialects the same query
names where the meaning is the same (``graph.latest_tick``,
``ticks.upsert_tick_log``, ``metadata.get_session_metadata`` ...), so one
implementation of the protocol serves both. A backend supplies its
connection handling, its session keys and its bulk write of a tick's rows.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

import networkx as nx

from babylon_sql.catalogue import named_row, named_rows, run_batched
from babylon_sql.errors import ValidationError
from babylon_sql.input import codec
from babylon_sql.input.codec import gc_paused
from babylon_sql.input.fields import check_key, check_opt_float, check_text, check_tick
from babylon_sql.runtime.graph import (
    MAX_DOCUMENT_BYTES,
    GraphBuilder,
    GraphEncoder,
    json_or_none,
)


def check_metadata(key: Any, value: Any) -> None:
    """A metadata key is an id (:func:`~babylon_sql.input.fields.check_key`);
    its value is text (no NUL, no lone surrogate)."""
    check_key(key, "metadata key")
    if not isinstance(value, str):
        raise ValidationError(
            f"metadata value for {key!r} must be str (encode it yourself, e.g. json.dumps), "
            f"got {type(value).__name__}"
        )
    check_text(value, f"metadata value for {key!r}")


def snapshot_header(sid: Any, tick: int, encoder: GraphEncoder) -> dict[str, Any]:
    """The parameters of ``insert_graph_snapshot`` both dialects share."""
    return {
        "session_id": sid,
        "tick": tick,
        "directed": True,
        "graph_attrs": encoder.graph_attrs,
        "node_count": encoder.node_count,
        "edge_count": encoder.edge_count,
    }


def _tick_log_dict(row: Sequence[Any]) -> dict[str, Any]:
    tick, rng_state, rng_state_bytes, mutations, invariant_checks, wall_time_ms, system_timings = (
        row
    )
    if rng_state_bytes is not None:
        rng_state = bytes(rng_state_bytes)
    elif rng_state is not None:
        rng_state = codec.loads(rng_state)
    return {
        "tick": tick,
        "rng_state": rng_state,
        "mutations": None if mutations is None else codec.loads(mutations),
        "invariant_checks": None if invariant_checks is None else codec.loads(invariant_checks),
        "wall_time_ms": wall_time_ms,
        "system_timings": None if system_timings is None else codec.loads(system_timings),
    }


class RuntimeCore(ABC):
    """RuntimePersistence over a dialect's queries; subclasses bind a database."""

    _q: Any
    max_document_bytes: int = MAX_DOCUMENT_BYTES

    # -- what a backend supplies -----------------------------------------

    @abstractmethod
    def _tx(self) -> AbstractContextManager[Any]:
        """A connection inside one transaction (committed when the block ends)."""

    def _snapshot(self) -> AbstractContextManager[Any]:
        """A connection inside one read-only transaction whose statements all
        see the same committed state (by default :meth:`_tx`)."""
        return self._tx()

    @abstractmethod
    def _sid(self, session_id: Any) -> Any:
        """The session key rows carry, for a call's ``session_id``."""

    @abstractmethod
    def _metadata_sid(self, session_id: Any) -> Any:
        """The session key of a metadata call, or ``None`` for database-level metadata."""

    @abstractmethod
    def _lock_session(self, conn: Any, sid: Any) -> None:
        """Check that the session exists and keep it for the transaction."""

    @abstractmethod
    def _write_graph_rows(self, conn: Any, sid: Any, tick: int, encoder: GraphEncoder) -> None:
        """Replace the snapshot of one tick: its header, nodes and edges."""

    @abstractmethod
    def _read_graph_rows(self, conn: Any, builder: GraphBuilder, params: dict[str, Any]) -> None:
        """Feed the nodes and edges of one tick to ``builder``, in graph order.

        ``params``: ``session_id``, ``tick`` and the header's ``generation``.
        """

    # -- RuntimePersistence ----------------------------------------------

    def persist_tick(
        self,
        tick: int,
        graph: nx.DiGraph[Any],
        events: Sequence[Mapping[str, Any]] | None = None,
        *,
        session_id: uuid.UUID | None = None,
    ) -> None:
        """Write the whole snapshot of ``tick`` in one transaction.

        Persisting a tick again replaces it exactly: nodes and edges that
        vanished go, events are not duplicated. Everything that can be checked
        without the attributes is checked before the database is touched; an
        attribute that cannot be stored raises while the rows stream and the
        transaction rolls back.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        encoder = GraphEncoder(graph, events, max_document_bytes=self.max_document_bytes)
        g = self._q.graph
        with gc_paused(), self._tx() as conn:
            self._lock_session(conn, sid)
            g.delete_tick_events(conn, session_id=sid, tick=tick)
            self._write_graph_rows(conn, sid, tick, encoder)
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
                    for seq, event_type, payload in encoder.events
                ),
            )

    def latest_tick(self, *, session_id: uuid.UUID | None = None) -> int | None:
        """The newest persisted tick of a session, or ``None``."""
        sid = self._sid(session_id)
        with self._tx() as conn:
            value = self._q.graph.latest_tick(conn, session_id=sid)
        return None if value is None else int(value)

    def hydrate_graph(
        self, tick: int | None = None, *, session_id: uuid.UUID | None = None
    ) -> nx.DiGraph[Any]:
        """The graph persisted at ``tick`` (``None``: the latest tick).

        A tick that was never persisted gives an empty graph.
        """
        sid = self._sid(session_id)
        if tick is not None:
            tick = check_tick(tick)
        g = self._q.graph
        # One snapshot: the header and the rows are of the same write even
        # while another connection replaces the tick.
        with gc_paused(), self._snapshot() as conn:
            if tick is None:
                tick = g.latest_tick(conn, session_id=sid)
                if tick is None:
                    return nx.DiGraph()
            with g.get_graph_snapshot_cursor(conn, session_id=sid, tick=tick) as cur:
                header = named_row(cur)
            if header is None:
                return nx.DiGraph()
            # The rows are read in batches straight from the driver's cursor
            # and decoded into the graph's own dicts: no list of every row.
            builder = GraphBuilder(header["graph_attrs"], f"tick {tick} of session {sid}")
            params = {"session_id": sid, "tick": tick, "generation": header.get("generation", 0)}
            self._read_graph_rows(conn, builder, params)
        builder.check(header["node_count"], header["edge_count"])
        return builder.graph

    def get_events(
        self, tick: int | None = None, *, session_id: uuid.UUID | None = None
    ) -> list[Any]:
        """The events of one tick (or of all ticks, by tick), in order, as persisted.

        Each is the event document given to :meth:`persist_tick`; see
        :meth:`get_event_records` for the tick and position of each.
        """
        return [record["payload"] for record in self.get_event_records(tick, session_id=session_id)]

    def get_event_records(
        self, tick: int | None = None, *, session_id: uuid.UUID | None = None
    ) -> list[dict[str, Any]]:
        """Events with where they were persisted: ``{tick, seq, event_type, payload}``."""
        sid = self._sid(session_id)
        if tick is not None:
            tick = check_tick(tick)
        with (
            self._tx() as conn,
            self._q.graph.select_events_cursor(conn, session_id=sid, tick=tick) as cur,
        ):
            rows = named_rows(cur)
        for row in rows:
            row["payload"] = codec.loads(row["payload"])
        return rows

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
        """Record replay metadata of a tick; logging it again replaces it.

        ``rng_state`` is bytes (a serialised generator state, returned as the
        same bytes) or a JSON document.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        rng_bytes = (
            bytes(rng_state) if isinstance(rng_state, bytes | bytearray | memoryview) else None
        )
        rng_json = None if rng_bytes is not None else json_or_none(rng_state, "rng_state", limit)
        params = {
            "session_id": sid,
            "tick": tick,
            "rng_state": rng_json,
            "rng_state_bytes": rng_bytes,
            "mutations": json_or_none(mutations, "mutations", limit),
            "invariant_checks": json_or_none(invariant_checks, "invariant_checks", limit),
            "wall_time_ms": check_opt_float(wall_time_ms, "wall_time_ms"),
            "system_timings": json_or_none(system_timings, "system_timings", limit),
        }
        with self._tx() as conn:
            self._lock_session(conn, sid)
            self._q.ticks.upsert_tick_log(conn, **params)

    def get_tick_log(
        self, tick: int, *, session_id: uuid.UUID | None = None
    ) -> dict[str, Any] | None:
        """Replay metadata of a tick, or ``None``."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        with self._tx() as conn:
            row = self._q.ticks.get_tick_log(conn, session_id=sid, tick=tick)
        return None if row is None else _tick_log_dict(row)

    def set_metadata(self, key: str, value: str, *, session_id: uuid.UUID | None = None) -> None:
        """Store a key/value pair: of the database, or of a session."""
        check_metadata(key, value)
        sid = self._metadata_sid(session_id)
        m = self._q.metadata
        with self._tx() as conn:
            if sid is None:
                m.set_runtime_metadata(conn, key=key, value=value)
            else:
                self._lock_session(conn, sid)
                m.set_session_metadata(conn, session_id=sid, key=key, value=value)

    def get_metadata(self, key: str, *, session_id: uuid.UUID | None = None) -> str | None:
        """A metadata value, or ``None``."""
        check_key(key, "metadata key")
        sid = self._metadata_sid(session_id)
        m = self._q.metadata
        with self._tx() as conn:
            if sid is None:
                value = m.get_runtime_metadata(conn, key=key)
            else:
                value = m.get_session_metadata(conn, session_id=sid, key=key)
        return None if value is None else str(value)
