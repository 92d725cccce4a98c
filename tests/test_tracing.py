"""Trace recorder and trace_log storage, against a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aiosql
import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool

from babylon_sql.errors import (
    SchemaError,
    SerializationError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.protocols import TraceCollector, TraceLevel
from babylon_sql.traces import store as tracing
from babylon_sql.traces.store import TraceRecorder

Pool = ConnectionPool[psycopg.Connection[Any]]

T = aiosql.from_path(Path(__file__).parent / "sql" / "archival", "psycopg")


class PoolPersistence:
    """The smallest real persistence: persist_traces bound to a pool."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    def persist_traces(
        self, session_id: uuid.UUID, tick: int, trace_events: Sequence[Mapping[str, Any]]
    ) -> None:
        tracing.persist_traces(self.pool, session_id, tick, trace_events)


def new_session(pool: Pool, name: str = "s") -> uuid.UUID:
    sid = uuid.uuid4()
    with pool.connection() as conn:
        T.insert_session(conn, session_id=sid, name=name)
    return sid


def rows(pool: Pool, sid: uuid.UUID) -> list[tuple[Any, ...]]:
    with pool.connection() as conn:
        return list(T.trace_rows(conn, session_id=sid))


def ev(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "system": "ImperialRentSystem",
        "event": "formula_eval",
        "data": {"rent": 42.0 + i, "i": i},
        "level": 2,
        "node_id": f"n{i}",
        "seq": i,
        **extra,
    }


# --------------------------------------------------------------------------
# TraceRecorder (no database)


def test_recorder_implements_protocol() -> None:
    assert isinstance(TraceRecorder(), TraceCollector)


def test_level_none_is_a_no_op() -> None:
    rec = TraceRecorder()
    assert rec.level is TraceLevel.NONE
    for level in TraceLevel:
        rec.trace("S", "e", {"x": 1}, level=level)
    assert rec.buffer_size == 0


def test_level_filters_events() -> None:
    rec = TraceRecorder(TraceLevel.DEBUG)
    rec.trace("S", "summary", {}, level=TraceLevel.SUMMARY)
    rec.trace("S", "debug", {})  # default level DEBUG
    rec.trace("S", "trace", {}, level=TraceLevel.TRACE, node_id="n1")
    assert rec.buffer_size == 2
    assert [e["event"] for e in rec.pending_events()] == ["summary", "debug"]
    assert [e["seq"] for e in rec.pending_events()] == [0, 1]
    assert [e["level"] for e in rec.pending_events()] == [1, 2]


def test_buffer_keeps_a_shallow_copy_of_data() -> None:
    rec = TraceRecorder(TraceLevel.TRACE)
    data: dict[str, Any] = {"x": 1, "nested": [1]}
    rec.trace("S", "e", data)
    data["x"] = 2
    data["nested"].append(2)
    (event,) = rec.pending_events()
    assert event["data"]["x"] == 1  # the top level was copied
    assert event["data"]["nested"] == [1, 2]  # nested objects are shared (documented)


def test_flush_without_persistence_clears() -> None:
    rec = TraceRecorder(TraceLevel.TRACE)
    rec.trace("S", "e", {})
    rec.flush(uuid.uuid4(), 0)
    assert rec.buffer_size == 0


@pytest.mark.parametrize("level", [7, -1, "DEBUG", True, None])
def test_bad_level_is_refused(level: Any) -> None:
    with pytest.raises(ValidationError, match="trace level"):
        TraceRecorder(level)


def test_persistence_without_persist_traces_is_refused() -> None:
    with pytest.raises(ValidationError, match="persist_traces"):
        TraceRecorder(TraceLevel.DEBUG, persistence=object())


# --------------------------------------------------------------------------
# TraceRecorder with PostgreSQL


def test_flush_writes_and_clears(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    rec = TraceRecorder(TraceLevel.TRACE, persistence=PoolPersistence(pg_pool))
    rec.trace("Economy", "tick_start", {"t": 0}, level=TraceLevel.SUMMARY)
    rec.trace("Economy", "node", {"wealth": 1.5}, level=TraceLevel.TRACE, node_id="w1")
    rec.flush(sid, 3)
    assert rec.buffer_size == 0
    got = rows(pg_pool, sid)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in got] == [
        (3, 0, 1, "Economy", "tick_start", None, {"t": 0}),
        (3, 1, 3, "Economy", "node", "w1", {"wealth": 1.5}),
    ]
    rec.flush(sid, 4)  # empty buffer: nothing written, nothing cleared
    assert len(rows(pg_pool, sid)) == 2


def test_failed_flush_keeps_the_buffer(pg_pool: Pool) -> None:
    rec = TraceRecorder(TraceLevel.DEBUG, persistence=PoolPersistence(pg_pool))
    rec.trace("S", "e", {"a": 1})
    rec.trace("S", "bad", {"a": math.nan})
    sid = new_session(pg_pool)
    with pytest.raises(SerializationError, match="S/bad"):
        rec.flush(sid, 0)
    assert rec.buffer_size == 2
    missing = uuid.uuid4()
    rec.clear()
    rec.trace("S", "e", {"a": 1})
    with pytest.raises(SessionNotFoundError):
        rec.flush(missing, 0)
    assert rec.buffer_size == 1
    rec.flush(sid, 0)
    assert rec.buffer_size == 0
    assert len(rows(pg_pool, sid)) == 1


# --------------------------------------------------------------------------
# persist_traces


@pytest.mark.as_writer
def test_persist_round_trip(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    events = [ev(i) for i in range(2500)]
    events[5]["data"] = {
        "when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "tags": {"b", "a"},
        "pair": (1, 2),
        "text": 'quote " back\\slash\ttab\nnewline é ✓',
    }
    events[6]["node_id"] = None
    events[7]["data"] = {}
    tracing.persist_traces(pg_pool, sid, 1, events)
    got = rows(pg_pool, sid)
    assert len(got) == 2500
    assert got[0][:6] == (1, 0, 2, "ImperialRentSystem", "formula_eval", "n0")
    assert got[0][6] == {"rent": 42.0, "i": 0}
    assert got[5][6] == {
        "when": "2026-01-02T03:04:05+00:00",
        "tags": ["a", "b"],
        "pair": [1, 2],
        "text": 'quote " back\\slash\ttab\nnewline é ✓',
    }
    assert got[6][5] is None
    assert got[7][6] == {}
    assert {r[7] for r in got} == {"trace_log_default"}


def test_persist_defaults_seq_and_level(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    tracing.persist_traces(
        pg_pool, sid, 0, [{"system": "S", "event": "a"}, {"system": "S", "event": "b"}]
    )
    got = rows(pg_pool, sid)
    assert [(r[1], r[2], r[4], r[6]) for r in got] == [(0, 2, "a", {}), (1, 2, "b", {})]


def test_persist_replaces_the_tick(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    other = new_session(pg_pool, "other")
    tracing.persist_traces(pg_pool, sid, 1, [ev(i) for i in range(10)])
    tracing.persist_traces(pg_pool, sid, 2, [ev(i) for i in range(3)])
    tracing.persist_traces(pg_pool, other, 1, [ev(i) for i in range(4)])
    tracing.persist_traces(pg_pool, sid, 1, [ev(i, event="again") for i in range(2)])
    got = rows(pg_pool, sid)
    assert [(r[0], r[1], r[4]) for r in got] == [
        (1, 0, "again"),
        (1, 1, "again"),
        (2, 0, "formula_eval"),
        (2, 1, "formula_eval"),
        (2, 2, "formula_eval"),
    ]
    tracing.persist_traces(pg_pool, sid, 2, [])  # an empty list clears the tick
    assert [r[0] for r in rows(pg_pool, sid)] == [1, 1]
    assert len(rows(pg_pool, other)) == 4


def test_executemany_method_writes_the_same_rows(pg_pool: Pool) -> None:
    a, b = new_session(pg_pool), new_session(pg_pool)
    events = [ev(i) for i in range(1500)]
    tracing.persist_traces(pg_pool, a, 0, events)
    tracing.persist_traces(pg_pool, b, 0, events, method="executemany")
    assert [r[:7] for r in rows(pg_pool, a)] == [r[:7] for r in rows(pg_pool, b)]
    with pytest.raises(ValidationError, match="method"):
        tracing.persist_traces(pg_pool, a, 0, events, method="insert")


@pytest.mark.parametrize("tick", [-1, True, "1", 1.0, None, 2**31])
def test_bad_tick_is_refused(pg_pool: Pool, tick: Any) -> None:
    sid = new_session(pg_pool)
    with pytest.raises(ValidationError, match="tick"):
        tracing.persist_traces(pg_pool, sid, tick, [ev(0)])
    assert rows(pg_pool, sid) == []


@pytest.mark.parametrize("session_id", ["not-a-uuid", 123, None, b"x"])
def test_bad_session_id_is_refused(pg_pool: Pool, session_id: Any) -> None:
    with pytest.raises(ValidationError, match="session_id"):
        tracing.persist_traces(pg_pool, session_id, 0, [ev(0)])


def test_session_id_as_text_is_accepted(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    tracing.persist_traces(pg_pool, str(sid), 0, [ev(0)])  # type: ignore[arg-type]
    assert len(rows(pg_pool, sid)) == 1


def test_unknown_session_is_refused(pg_pool: Pool) -> None:
    missing = uuid.uuid4()
    with pytest.raises(SessionNotFoundError, match=str(missing)):
        tracing.persist_traces(pg_pool, missing, 0, [ev(0)])
    assert rows(pg_pool, missing) == []


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        (
            {"data": {"x": math.nan}},
            SerializationError,
            r"event 1 \(ImperialRentSystem/formula_eval\).*NaN",
        ),
        ({"data": {"x": [1.0, {"y": -math.inf}]}}, SerializationError, "NaN or infinity"),
        ({"data": {"x": "a\x00b"}}, SerializationError, "NUL"),
        ({"data": {1: "one"}}, SerializationError, "event 1"),
        ({"data": {"x": object()}}, SerializationError, "object"),
        ({"data": {"x": 2**70}}, SerializationError, "event 1"),
        ({"data": [1, 2]}, ValidationError, "mapping"),
        ({"system": ""}, ValidationError, "system"),
        ({"system": 5}, ValidationError, "system"),
        ({"event": None}, ValidationError, "event"),
        ({"node_id": 7}, ValidationError, "node_id"),
        ({"node_id": "a\x00"}, ValidationError, "NUL"),
        ({"level": 4}, ValidationError, "level"),
        ({"level": True}, ValidationError, "level"),
        ({"seq": -1}, ValidationError, "seq"),
        ({"seq": 0}, ValidationError, "repeats an earlier"),
    ],
)
def test_bad_event_writes_nothing(
    pg_pool: Pool, change: dict[str, Any], error: type[Exception], match: str
) -> None:
    sid = new_session(pg_pool)
    tracing.persist_traces(pg_pool, sid, 0, [ev(0), ev(1)])
    before = rows(pg_pool, sid)
    bad = [ev(0), ev(1, **change), ev(2)]
    with pytest.raises(error, match=match):
        tracing.persist_traces(pg_pool, sid, 0, bad)
    assert rows(pg_pool, sid) == before  # the tick was not replaced


def test_missing_key_is_refused(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    with pytest.raises(ValidationError, match="event 0 has no 'event' key"):
        tracing.persist_traces(pg_pool, sid, 0, [{"system": "S"}])
    with pytest.raises(ValidationError, match="sequence of mappings"):
        tracing.persist_traces(pg_pool, sid, 0, {"system": "S"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="event 0 must be a mapping"):
        tracing.persist_traces(pg_pool, sid, 0, [("S", "e")])  # type: ignore[list-item]


# --------------------------------------------------------------------------
# Partitions


@pytest.mark.as_writer
def test_create_partition_moves_default_rows(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    other = new_session(pg_pool, "other")
    tracing.persist_traces(pg_pool, sid, 0, [ev(i) for i in range(5)])
    tracing.persist_traces(pg_pool, other, 0, [ev(i) for i in range(3)])
    tracing.create_session_partition(pg_pool, sid)
    name = tracing.partition_name(sid)
    assert name == "trace_log_s_" + sid.hex
    got = rows(pg_pool, sid)
    assert len(got) == 5
    assert {r[7] for r in got} == {name}
    assert {r[7] for r in rows(pg_pool, other)} == {"trace_log_default"}
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=name) == "u"
    # idempotent, and new writes land in the partition
    tracing.create_session_partition(pg_pool, sid)
    tracing.persist_traces(pg_pool, sid, 1, [ev(0)])
    tracing.persist_traces(pg_pool, sid, 0, [ev(0)])  # replace works across partitions
    got = rows(pg_pool, sid)
    assert [(r[0], r[7]) for r in got] == [(0, name), (1, name)]


@pytest.mark.as_writer
def test_drop_partition_discards_only_that_session(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    other = new_session(pg_pool, "other")
    tracing.create_session_partition(pg_pool, sid)
    tracing.create_session_partition(pg_pool, other)
    tracing.persist_traces(pg_pool, sid, 0, [ev(i) for i in range(5)])
    tracing.persist_traces(pg_pool, other, 0, [ev(i) for i in range(3)])
    tracing.drop_session_partition(pg_pool, sid)
    assert rows(pg_pool, sid) == []
    assert len(rows(pg_pool, other)) == 3
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=tracing.partition_name(sid)) is None
    tracing.drop_session_partition(pg_pool, sid)  # idempotent
    # without a partition, the session's rows in the default partition go too
    third = new_session(pg_pool, "third")
    tracing.persist_traces(pg_pool, third, 0, [ev(0)])
    tracing.drop_session_partition(pg_pool, third)
    assert rows(pg_pool, third) == []
    assert len(rows(pg_pool, other)) == 3
    # the session may already be gone
    tracing.drop_session_partition(pg_pool, uuid.uuid4())


def test_partition_functions_validate(pg_pool: Pool) -> None:
    for fn in (tracing.create_session_partition, tracing.drop_session_partition):
        with pytest.raises(ValidationError, match="session_id"):
            fn(pg_pool, "x'; DROP TABLE trace_log; --")  # type: ignore[arg-type]
    with pytest.raises(SessionNotFoundError):
        tracing.create_session_partition(pg_pool, uuid.uuid4())


def test_create_partition_refuses_a_foreign_relation(pg_pool: Pool) -> None:
    sid = new_session(pg_pool)
    name = tracing.partition_name(sid)
    with pg_pool.connection() as conn:
        conn.execute(sql.SQL(T.create_plain_table.sql).format(name=sql.Identifier(name)))
    with pytest.raises(SchemaError, match="not a partition"):
        tracing.create_session_partition(pg_pool, sid)
    tracing.drop_session_partition(pg_pool, sid)  # leaves the foreign table alone
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=name) == "p"


@pytest.mark.as_writer
def test_concurrent_partition_creation_and_writes(pg_dsn: str) -> None:
    """Creators serialise on the partition locks; writers keep going; nobody deadlocks."""
    from concurrent.futures import ThreadPoolExecutor

    from babylon_sql.server.pool import open_pool

    with open_pool(pg_dsn, min_size=4, max_size=8) as pool:
        sids = [new_session(pool, f"s{i}") for i in range(3)]

        def work(i: int) -> None:
            sid = sids[i % 3]
            tracing.persist_traces(pool, sid, i, [ev(j) for j in range(50)])
            tracing.create_session_partition(pool, sid)
            tracing.persist_traces(pool, sid, 100 + i, [ev(j) for j in range(50)])

        with ThreadPoolExecutor(max_workers=6) as ex:
            list(ex.map(work, range(12)))
        for sid in sids:
            got = rows(pool, sid)
            assert len(got) == 8 * 50
            assert {r[7] for r in got} == {tracing.partition_name(sid)}


def test_a_late_bad_event_rolls_the_whole_tick_back(pg_pool: Pool) -> None:
    """Events are encoded while COPY streams; a bad one near the end still writes nothing."""
    sid = new_session(pg_pool)
    tracing.persist_traces(pg_pool, sid, 4, [ev(i) for i in range(3)])
    events = [ev(i) for i in range(20_000)]
    events[19_990]["data"] = {"x": math.inf}
    with pytest.raises(SerializationError, match="event 19990"):
        tracing.persist_traces(pg_pool, sid, 4, events)
    assert [r[1] for r in rows(pg_pool, sid)] == [0, 1, 2]
    tracing.persist_traces(pg_pool, sid, 5, [ev(0)])  # the pool's connection is usable
    assert len(rows(pg_pool, sid)) == 4
