"""Execution traces: an in-memory recorder and their storage in ``trace_log``.

:class:`TraceRecorder` implements :class:`~babylon_sql.protocols.TraceCollector`.
Systems call :meth:`TraceRecorder.trace` while a tick is computed; it does no
I/O. An event above the recorder's level is dropped after one integer
comparison, without allocating anything. A kept event is buffered as a tuple
holding a shallow copy of ``data`` (``dict(data)``): the caller may reuse or
mutate its dict afterwards without changing what was recorded; objects nested
inside ``data`` are shared, not copied. :meth:`TraceRecorder.flush` hands the
buffer to ``persistence.persist_traces()`` and clears it once that succeeded.

The module-level functions take a :class:`psycopg_pool.ConnectionPool`;
:class:`~babylon_sql.postgres_runtime.PostgresRuntime` binds them as methods.

- :func:`persist_traces` writes one tick's events with a binary ``COPY``
  (about 4x faster than ``executemany`` in 1,000-row batches, see
  ``scripts/bench_traces.py``). It *replaces* the tick: the traces the session
  already has at that tick are deleted in the same transaction, so writing a
  tick twice never duplicates its events.
- :func:`create_session_partition` gives a session its own UNLOGGED partition
  of ``trace_log``; traces written before, which sit in ``trace_log_default``,
  are moved into it in the same transaction.
- :func:`drop_session_partition` discards every trace of a session: it drops
  the session's partition and deletes the session's rows from the default
  partition.

Lock order, the same in every function here and in
:func:`babylon_sql.archival.purge_session`: the session's ``game_session`` row
first, then ``trace_log`` and its partitions; a partition is dropped in a
transaction that holds no other ``trace_log`` lock. Two of these calls can wait
for each other but never deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
import psycopg

from babylon_sql.catalogue import copy_types, queries, run_batched
from babylon_sql.errors import SchemaError, ValidationError
from babylon_sql.input import codec
from babylon_sql.input.codec import ORJSON_OPTIONS, gc_paused, has_non_finite, json_default
from babylon_sql.input.fields import (
    MAX_KEY_BYTES,
    check_key,
    check_session_id,
    check_text,
    check_tick,
)
from babylon_sql.protocols import TraceLevel
from babylon_sql.server.connector import Connector, Pool, as_connector

#: Prefix of a session's trace partition; the session id's 32 hex digits follow.
PARTITION_PREFIX = "trace_log_s_"

#: Column types of the binary COPY, in the order of ``copy_trace_events``.
#: ``data`` goes as raw bytes: the binary form of jsonb is a version byte (1)
#: followed by the JSON text.
_JSONB_VERSION = b"\x01"
_INT4_MAX = 2**31 - 1

#: A buffered event: system, event, data (a shallow copy), level, node_id.
BufferedEvent = tuple[str, str, dict[str, Any], TraceLevel | int, str | None]


class TraceRecorder:
    """Buffers trace events in memory during a tick; :meth:`flush` stores them.

    ``level`` is the most detailed :class:`TraceLevel` kept: an event is kept
    when its level is at most the recorder's. At ``TraceLevel.NONE``
    :meth:`trace` keeps nothing. ``persistence`` is any object with a
    ``persist_traces(session_id, tick, events)`` method (a ``PostgresRuntime``);
    without one, :meth:`flush` just clears the buffer.
    """

    __slots__ = ("_buffer", "_level", "_max", "_persistence")

    def __init__(self, level: TraceLevel = TraceLevel.NONE, persistence: Any = None) -> None:
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValidationError(f"trace level must be a TraceLevel, got {level!r}")
        try:
            self._level = TraceLevel(level)
        except ValueError:
            known = ", ".join(f"{lv.name}={lv.value}" for lv in TraceLevel)
            raise ValidationError(f"trace level must be one of {known}; got {level!r}") from None
        if persistence is not None and not callable(getattr(persistence, "persist_traces", None)):
            raise ValidationError(
                f"persistence must have a persist_traces(session_id, tick, events) method; "
                f"{type(persistence).__name__} has none"
            )
        self._persistence = persistence
        # Events with a level above _max are dropped; -1 drops everything (NONE).
        self._max = int(self._level) if self._level else -1
        self._buffer: list[BufferedEvent] = []

    def trace(
        self,
        system: str,
        event: str,
        data: Mapping[str, Any],
        *,
        level: TraceLevel = TraceLevel.DEBUG,
        node_id: str | None = None,
    ) -> None:
        """Buffer one event (no I/O); a no-op when ``level`` is above the recorder's."""
        if level > self._max:
            return
        self._buffer.append((system, event, dict(data), level, node_id))

    def pending_events(self) -> list[dict[str, Any]]:
        """The buffered events as :meth:`flush` hands them over (``seq`` = order)."""
        return [
            {
                "system": system,
                "event": event,
                "data": data,
                "level": int(level),
                "node_id": node_id,
                "seq": seq,
            }
            for seq, (system, event, data, level, node_id) in enumerate(self._buffer)
        ]

    def flush(self, session_id: uuid.UUID, tick: int) -> None:
        """Store the buffered events as the traces of ``tick`` and clear the buffer.

        Events are numbered (``seq``) in the order they were traced. An empty
        buffer writes nothing (the tick's stored traces, if any, stay). If
        ``persist_traces`` raises, the buffer is kept whole and the error
        propagates: a later flush can retry, nothing is lost.
        """
        if not self._buffer:
            return
        if self._persistence is None:
            self._buffer.clear()
            return
        # Building and encoding ~10^5 small dicts: the cyclic GC would only
        # rescan them (none is in a cycle), so it waits until the flush ends.
        with gc_paused():
            self._persistence.persist_traces(session_id, tick, self.pending_events())
        self._buffer.clear()

    def clear(self) -> None:
        """Drop the buffered events without storing them."""
        self._buffer.clear()

    @property
    def level(self) -> TraceLevel:
        """The most detailed level this recorder keeps."""
        return self._level

    @property
    def buffer_size(self) -> int:
        """Number of events currently buffered."""
        return len(self._buffer)


# --------------------------------------------------------------------------
# Validation and encoding


#: A session id as a UUID (a UUID or its text form), else ValidationError.
session_uuid = check_session_id


def partition_name(session_id: Any) -> str:
    """Name of the session's ``trace_log`` partition: ``trace_log_s_<32 hex digits>``."""
    return PARTITION_PREFIX + session_uuid(session_id).hex


def encode_data(data: Any, what: str) -> bytes:
    """``data`` as JSON bytes for a jsonb column; ``what`` names it in errors.

    The codec's rules (:mod:`babylon_sql.input.codec`, ``jsonb=True``):
    refused with :class:`SerializationError` are NaN and ±Infinity, NUL
    characters (jsonb cannot hold them; the six characters ``\\u0000`` are
    fine), non-``str`` keys, integers beyond 64 bits, lone surrogates, other
    types. Sets, tuples, enums, numpy values, datetimes (RFC 3339 text) and
    UUIDs are converted.
    """
    if data is None:
        return b"{}"
    if not isinstance(data, Mapping):
        raise ValidationError(f"{what}: data must be a mapping, got {type(data).__name__}")
    return codec.dumps_bytes(data, what=f"{what} data", jsonb=True)


def _plain(text: str) -> bool:
    """ASCII without NUL: text that needs no closer look."""
    return text.isascii() and "\x00" not in text


def _check_container(trace_events: Any) -> None:
    if isinstance(trace_events, Mapping | str | bytes) or not isinstance(trace_events, Iterable):
        raise ValidationError("trace_events must be a sequence of mappings")


def encode_events(
    session_id: uuid.UUID, tick: int, trace_events: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """All events as COPY rows (see :func:`iter_rows`); raises before any I/O."""
    _check_container(trace_events)
    return list(iter_rows(session_id, tick, trace_events))


def iter_rows(
    session_id: uuid.UUID, tick: int, trace_events: Iterable[Mapping[str, Any]]
) -> Iterator[tuple[Any, ...]]:
    """Validate events one by one and yield them as COPY rows.

    Keys: ``system`` and ``event`` (non-empty str, required), ``data`` (a
    mapping, default ``{}``), ``level`` (0-3, default DEBUG), ``node_id`` (str
    or None), ``seq`` (int >= 0, default: the event's position; unique).
    A row is ``(session_id, tick, seq, level, system, event, node_id,
    jsonb)``, the last one the binary jsonb form (version byte + JSON text).
    A bad event raises :class:`ValidationError` or
    :class:`SerializationError` naming its index (and system/event).
    """
    seen: set[int] = set()
    remember = seen.add
    dumps = orjson.dumps
    # The checks test exact types first (type(x) is str): the common case
    # costs a few pointer comparisons; subclasses take the slower path.
    for index, ev in enumerate(trace_events):
        if type(ev) is not dict and not isinstance(ev, Mapping):
            raise ValidationError(f"trace event {index} must be a mapping, got {type(ev).__name__}")
        try:
            system = ev["system"]
            event = ev["event"]
        except KeyError as exc:
            raise ValidationError(f"trace event {index} has no {exc.args[0]!r} key") from None
        if type(system) is not str or not 0 < len(system) <= 256 or not _plain(system):
            check_key(system, f"trace event {index} system")
        if type(event) is not str or not 0 < len(event) <= 256 or not _plain(event):
            check_key(event, f"trace event {index} event")
        node_id = ev.get("node_id")
        if node_id is not None and (
            type(node_id) is not str or len(node_id) > 256 or not _plain(node_id)
        ):
            check_text(node_id, f"trace event {index} node_id", max_bytes=MAX_KEY_BYTES)
        level = ev.get("level", 2)
        if type(level) is not int:
            if isinstance(level, bool) or not isinstance(level, int):
                raise ValidationError(
                    f"trace event {index}: level must be an int 0-3, got {level!r}"
                )
            level = int(level)
        if not 0 <= level <= 3:
            raise ValidationError(f"trace event {index}: level must be an int 0-3, got {level!r}")
        seq = ev.get("seq")
        if seq is None:
            seq = index
        else:
            if type(seq) is not int:  # -1 (refused just below) for bools and non-ints
                seq = -1 if isinstance(seq, bool) or not isinstance(seq, int) else int(seq)
            if not 0 <= seq <= _INT4_MAX:
                raise ValidationError(
                    f"trace event {index}: seq must be an int between 0 and {_INT4_MAX}, "
                    f"got {ev.get('seq')!r}"
                )
        data = ev.get("data")
        doc = None
        if type(data) is dict:
            try:
                doc = dumps(data, default=json_default, option=ORJSON_OPTIONS)
            except TypeError:
                doc = None  # encode_data below names the problem
            else:
                if (b"null" in doc and has_non_finite(data)) or b"\\u0000" in doc:
                    doc = None  # encode_data below names the problem
        if doc is None:
            doc = encode_data(data, f"trace event {index} ({system}/{event})")
        if seq in seen:
            raise ValidationError(
                f"trace event {index}: seq {seq} repeats an earlier event's; seq must be unique"
            )
        remember(seq)
        yield (session_id, tick, seq, level, system, event, node_id, _JSONB_VERSION + doc)


# --------------------------------------------------------------------------
# Storage


def copy_rows(conn: psycopg.Connection[Any], rows: Iterable[tuple[Any, ...]]) -> None:
    """Binary COPY of rows made by :func:`iter_rows` (in the caller's transaction).

    An exception raised by ``rows`` aborts the COPY (and the caller's
    transaction) and propagates.
    """
    query = queries("pg").traces.copy_trace_events
    with conn.cursor() as cur, cur.copy(query.sql) as copy:
        copy.set_types(copy_types(query))
        write = copy.write_row
        for row in rows:
            write(row)


def insert_rows_executemany(conn: psycopg.Connection[Any], rows: Iterable[tuple[Any, ...]]) -> int:
    """The same rows through ``executemany`` in 1,000-row batches (benchmark baseline)."""
    params = (
        {
            "session_id": session_id,
            "tick": tick,
            "seq": seq,
            "level": level,
            "system": system,
            "event": event,
            "node_id": node_id,
            "data": doc[1:].decode(),  # without the jsonb version byte
        }
        for session_id, tick, seq, level, system, event, node_id, doc in rows
    )
    return run_batched(queries("pg").traces.insert_trace_event, conn, params)


def persist_traces(
    pool: Connector | Pool,
    session_id: uuid.UUID,
    tick: int,
    trace_events: Sequence[Mapping[str, Any]],
    *,
    method: str = "copy",
) -> None:
    """Store the trace events of one tick, replacing what that tick had.

    In one transaction: the session row is locked
    (:class:`SessionNotFoundError` if there is none), the tick's stored
    traces are deleted, and the events are validated, encoded and written by
    binary COPY in one pass, so that encoding in Python overlaps the
    server's work. A bad event raises :class:`ValidationError` or
    :class:`SerializationError` naming its index (and system/event); the
    transaction is rolled back, so nothing is written and the tick keeps the
    traces it had. An empty ``trace_events`` clears the tick.

    ``method="executemany"`` writes through 1,000-row ``executemany``
    batches instead of COPY; it exists for the benchmark baseline.
    """
    sid = session_uuid(session_id)
    tick = check_tick(tick)
    if method not in ("copy", "executemany"):
        raise ValidationError(f"method must be 'copy' or 'executemany', got {method!r}")
    _check_container(trace_events)
    q = queries("pg").traces
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, sid, "share")
        q.delete_tick_traces(conn, session_id=sid, tick=tick)
        rows = iter_rows(sid, tick, trace_events)
        if method == "copy":
            copy_rows(conn, rows)
        else:
            insert_rows_executemany(conn, rows)


def create_session_partition(pool: Connector | Pool, session_id: uuid.UUID) -> None:
    """Give the session its own UNLOGGED ``trace_log`` partition; idempotent.

    In one transaction: lock the session row (:class:`SessionNotFoundError`
    if there is none), then call the SECURITY DEFINER function
    ``babylon_create_trace_partition`` (``ddl/pg/090_trace.sql``): it locks
    ``trace_log`` against other partition changes, creates the partition as
    a standalone table, moves the session's rows out of
    ``trace_log_default`` into it and attaches it. Being owned by the schema
    owner, it lets a role with DML only (the writer role) do this. A second
    call finds the partition and does nothing. A relation of the same name
    that is not a partition of ``trace_log`` raises :class:`SchemaError`.
    """
    sid = session_uuid(session_id)
    q = queries("pg").traces
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, sid, "share")
        if q.create_trace_partition(conn, session_id=sid) == "other":
            raise SchemaError(
                f"relation {partition_name(sid)} exists but is not a partition of trace_log; "
                "rename or drop it before creating the session's trace partition"
            )


def drop_session_traces(conn: psycopg.Connection[Any], session_id: uuid.UUID) -> None:
    """Drop the session's partition and delete its rows from the default partition.

    Runs in the caller's transaction, which should hold no other lock on
    ``trace_log`` (dropping a partition locks the parent ACCESS EXCLUSIVE).
    The partition is dropped by the SECURITY DEFINER function
    ``babylon_drop_trace_partition``, so the writer role may call this.
    """
    q = queries("pg").traces
    q.drop_trace_partition(conn, session_id=session_id)
    q.delete_default_traces(conn, session_id=session_id)


def drop_session_partition(pool: Connector | Pool, session_id: uuid.UUID) -> None:
    """Discard every trace of the session; idempotent.

    Drops the session's partition if it has one and deletes the session's
    rows from ``trace_log_default`` (traces written before the partition was
    created, or for a session that never had one), in one transaction. The
    session itself may already be gone. Other sessions' traces are untouched;
    a relation of the same name that is not a partition of ``trace_log`` is
    left alone.
    """
    sid = session_uuid(session_id)
    db = as_connector(pool)
    with db.transaction() as conn:
        drop_session_traces(conn, sid)
