"""One contract suite for both RuntimePersistence backends.

Every test runs against SQLite (in memory and on file) and PostgreSQL, and
the same input must give the same result everywhere.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from babylon_sql import PostgresRuntime, RuntimeDatabase
from babylon_sql.errors import (
    DatabaseClosedError,
    GraphTypeError,
    SerializationError,
    ValidationError,
)
from babylon_sql.protocols import PostgresRuntimeExtensions, RuntimePersistence

# Tests taking a PostgreSQL fixture directly also run as the writer role.
pytestmark = pytest.mark.as_writer


@dataclass
class Backend:
    name: str
    db: Any

    def new_session(self) -> uuid.UUID:
        if isinstance(self.db, PostgresRuntime):
            return self.db.create_session(name="contract")
        return uuid.uuid4()


# "postgres-writer": the same suite logged in as the least-privilege writer
# role (ddl/pg/roles.sql), which has DML only.
@pytest.fixture(params=["sqlite-memory", "sqlite-file", "postgres", "postgres-writer"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite-memory":
        db: Any = RuntimeDatabase(in_memory=True)
    elif request.param == "sqlite-file":
        db = RuntimeDatabase(run_id="contract", base_dir=tmp_path)
    elif request.param == "postgres-writer":
        db = request.getfixturevalue("pg_writer_runtime")
    else:
        db = request.getfixturevalue("pg_runtime")
    yield Backend(request.param, db)
    if not isinstance(db, PostgresRuntime):
        db.close()


class Colour(enum.Enum):
    RED = "red"


def rich_graph() -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph(name="world", year=1e20, nested={"a": [1, {"b": None}]})
    g.add_node(
        "worker-1",
        node_type="worker",
        wealth=1.5e16,
        negative_zero=-0.0,
        population=2**40,
        flag=True,
        nothing=None,
        text='tab\there, newline\n, backslash \\, quote ", NUL \x00, ünïcødé ✊',
        items=[1, 2.5, "three", None, [False]],
        deep={"x": {"y": {"z": [1, 2, {"w": "v"}]}}},
    )
    g.add_node(7, node_type="integer-id", small=1e-300)
    g.add_node("", empty_id=True)
    g.add_node("long-type", node_type="x" * 100, big=-(2**63))
    g.add_edge("worker-1", 7, edge_type="exploits", rate=0.25, meta={"k": [1]})
    g.add_edge(7, "worker-1")
    g.add_edge("", "long-type", weight=float(2**53))
    return g


def assert_same(a: nx.DiGraph[Any], b: nx.DiGraph[Any]) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    assert a.graph == b.graph
    assert b.is_directed()
    for (_, da), (_, db) in zip(a.nodes(data=True), b.nodes(data=True), strict=True):
        for key, value in da.items():
            assert type(db[key]) is type(value), key
            if isinstance(value, float) and value == 0:
                assert str(db[key]) == str(value)


def test_backends_satisfy_the_protocols(backend: Backend) -> None:
    assert isinstance(backend.db, RuntimePersistence)
    if backend.name.startswith("postgres"):
        assert isinstance(backend.db, PostgresRuntimeExtensions)
    else:
        assert not isinstance(backend.db, PostgresRuntimeExtensions)


def test_round_trip_every_json_type(backend: Backend) -> None:
    sid = backend.new_session()
    g = rich_graph()
    backend.db.persist_tick(0, g, session_id=sid)
    assert_same(g, backend.db.hydrate_graph(0, session_id=sid))


def test_both_backends_return_the_same_graph(pg_runtime: PostgresRuntime) -> None:
    g = rich_graph()
    sid = pg_runtime.create_session()
    pg_runtime.persist_tick(3, g, [{"type": "x", "v": 1.0}], session_id=sid)
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(3, g, [{"type": "x", "v": 1.0}], session_id=sid)
        from_sqlite = db.hydrate_graph(3, session_id=sid)
        events_sqlite = db.get_events(3, session_id=sid)
    from_pg = pg_runtime.hydrate_graph(3, session_id=sid)
    assert_same(from_sqlite, from_pg)
    assert events_sqlite == pg_runtime.get_events(3, session_id=sid)


def test_persist_again_replaces_the_tick_exactly(backend: Backend) -> None:
    sid = backend.new_session()
    first: nx.DiGraph[Any] = nx.DiGraph(v=1)
    first.add_edges_from([("a", "b"), ("b", "c"), ("c", "a")])
    backend.db.persist_tick(5, first, [{"type": "one"}, {"type": "two"}], session_id=sid)
    second: nx.DiGraph[Any] = nx.DiGraph(v=2)
    second.add_node("a", colour="red")
    second.add_edge("a", "d")
    backend.db.persist_tick(5, second, [{"type": "three"}], session_id=sid)
    assert_same(second, backend.db.hydrate_graph(5, session_id=sid))
    assert backend.db.get_events(5, session_id=sid) == [{"type": "three"}]
    backend.db.persist_tick(5, second, [{"type": "three"}], session_id=sid)
    assert len(backend.db.get_events(session_id=sid)) == 1


def test_ticks_and_sessions_are_isolated(backend: Backend) -> None:
    s1, s2 = backend.new_session(), backend.new_session()
    g1: nx.DiGraph[Any] = nx.DiGraph()
    g1.add_node("only-in-s1-t1")
    g2: nx.DiGraph[Any] = nx.DiGraph()
    g2.add_node("only-in-s1-t2")
    g3: nx.DiGraph[Any] = nx.DiGraph()
    g3.add_node("only-in-s2-t1")
    backend.db.persist_tick(1, g1, [{"e": 1}], session_id=s1)
    backend.db.persist_tick(2, g2, [{"e": 2}], session_id=s1)
    backend.db.persist_tick(1, g3, session_id=s2)
    assert list(backend.db.hydrate_graph(1, session_id=s1)) == ["only-in-s1-t1"]
    assert list(backend.db.hydrate_graph(2, session_id=s1)) == ["only-in-s1-t2"]
    assert list(backend.db.hydrate_graph(1, session_id=s2)) == ["only-in-s2-t1"]
    assert backend.db.get_events(1, session_id=s2) == []
    assert [e["tick"] for e in backend.db.get_event_records(session_id=s1)] == [1, 2]
    assert backend.db.get_events(session_id=s1) == [{"e": 1}, {"e": 2}]


def test_hydrate_latest_and_empty(backend: Backend) -> None:
    sid = backend.new_session()
    assert nx.utils.graphs_equal(backend.db.hydrate_graph(session_id=sid), nx.DiGraph())
    assert backend.db.hydrate_graph(session_id=sid).number_of_nodes() == 0
    for tick in (0, 4, 2):
        g: nx.DiGraph[Any] = nx.DiGraph()
        g.add_node(f"t{tick}")
        backend.db.persist_tick(tick, g, session_id=sid)
    assert list(backend.db.hydrate_graph(session_id=sid)) == ["t4"]
    assert backend.db.hydrate_graph(3, session_id=sid).number_of_nodes() == 0
    empty: nx.DiGraph[Any] = nx.DiGraph(note="empty tick")
    backend.db.persist_tick(9, empty, session_id=sid)
    latest = backend.db.hydrate_graph(session_id=sid)
    assert latest.number_of_nodes() == 0
    assert latest.graph == {"note": "empty tick"}


def test_documented_conversions(backend: Backend) -> None:
    sid = backend.new_session()
    stamp = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    some_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node(
        "n",
        pair=(1, 2),
        members={"b", "a"},
        frozen=frozenset({3, 1}),
        when=stamp,
        naive=dt.datetime(2024, 5, 1, 12, 30),
        day=dt.date(2024, 5, 1),
        ident=some_id,
        colour=Colour.RED,
        f32=np.float32(0.5),
        i64=np.int64(3),
        flag=np.bool_(True),
        array=np.array([[1, 2], [3, 4]]),
    )
    backend.db.persist_tick(0, g, session_id=sid)
    attrs = backend.db.hydrate_graph(0, session_id=sid).nodes["n"]
    assert attrs == {
        "pair": [1, 2],
        "members": ["a", "b"],
        "frozen": [1, 3],
        "when": "2024-05-01T12:30:00+00:00",
        "naive": "2024-05-01T12:30:00",
        "day": "2024-05-01",
        "ident": str(some_id),
        "colour": "red",
        "f32": 0.5,
        "i64": 3,
        "flag": True,
        "array": [[1, 2], [3, 4]],
    }


BAD_VALUES = [
    ("nan", float("nan"), "NaN"),
    ("inf", float("-inf"), "infinity"),
    ("nested-nan", {"a": [1.0, float("nan")]}, "NaN"),
    ("numpy-nan", np.array([1.0, np.nan]), "NaN"),
    ("int-keys", {1: "one"}, "str"),
    ("object", object(), "object"),
    ("decimal-like", complex(1, 2), "complex"),
    ("huge-int", 2**70, "64-bit"),
]


@pytest.mark.parametrize(("label", "value", "message"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_values_json_cannot_carry_fail_and_write_nothing(
    backend: Backend, label: str, value: Any, message: str
) -> None:
    sid = backend.new_session()
    good: nx.DiGraph[Any] = nx.DiGraph()
    good.add_node("keep", v=1)
    backend.db.persist_tick(0, good, session_id=sid)
    bad: nx.DiGraph[Any] = nx.DiGraph()
    bad.add_node("fine", v=2)
    bad.add_node("culprit", payload=value)
    with pytest.raises(SerializationError, match=message) as info:
        backend.db.persist_tick(0, bad, session_id=sid)
    assert isinstance(info.value, TypeError)
    assert "culprit" in str(info.value)
    assert "payload" in str(info.value)
    assert_same(good, backend.db.hydrate_graph(0, session_id=sid))


def test_bad_edge_attribute_names_the_edge(backend: Backend) -> None:
    sid = backend.new_session()
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_edge("a", "b", when=object())
    with pytest.raises(SerializationError, match=r"edge 'a'->'b'.*'when'"):
        backend.db.persist_tick(0, g, session_id=sid)
    assert backend.db.hydrate_graph(0, session_id=sid).number_of_nodes() == 0


@pytest.mark.parametrize("tick", [-1, True, False, "3", 3.0, None, 2**31])
def test_bad_ticks_are_refused(backend: Backend, tick: Any) -> None:
    sid = backend.new_session()
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("a")
    with pytest.raises(ValidationError, match="tick"):
        backend.db.persist_tick(tick, g, session_id=sid)
    with pytest.raises(ValidationError, match="tick"):
        backend.db.log_tick(tick, session_id=sid)
    assert backend.db.hydrate_graph(session_id=sid).number_of_nodes() == 0


@pytest.mark.parametrize(
    "graph",
    [nx.Graph(), nx.MultiDiGraph(), {"a": 1}, None],
    ids=["undirected", "multi", "dict", "none"],
)
def test_graph_must_be_a_digraph(backend: Backend, graph: Any) -> None:
    sid = backend.new_session()
    with pytest.raises(GraphTypeError, match="DiGraph"):
        backend.db.persist_tick(0, graph, session_id=sid)


def test_colliding_node_ids_are_refused(backend: Backend) -> None:
    sid = backend.new_session()
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("7")
    g.add_node(7)
    with pytest.raises(ValidationError, match="collide"):
        backend.db.persist_tick(0, g, session_id=sid)
    assert backend.db.hydrate_graph(0, session_id=sid).number_of_nodes() == 0


def test_unsupported_node_ids_are_refused(backend: Backend) -> None:
    sid = backend.new_session()
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node(("tuple", 1))
    with pytest.raises(SerializationError, match="node ids must be str or int"):
        backend.db.persist_tick(0, g, session_id=sid)


def test_a_one_megabyte_attribute_is_refused(backend: Backend) -> None:
    sid = backend.new_session()
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("ok")
    g.add_node("blob", data="x" * (1024 * 1024))
    with pytest.raises(ValidationError, match=r"node 'blob'.*limit"):
        backend.db.persist_tick(0, g, session_id=sid)
    assert backend.db.hydrate_graph(0, session_id=sid).number_of_nodes() == 0


def test_closed_database(backend: Backend) -> None:
    sid = backend.new_session()
    backend.db.close()
    g: nx.DiGraph[Any] = nx.DiGraph()
    with pytest.raises(DatabaseClosedError):
        backend.db.persist_tick(0, g, session_id=sid)
    with pytest.raises(DatabaseClosedError):
        backend.db.hydrate_graph(0, session_id=sid)
    backend.db.close()  # idempotent


def test_log_tick_keeps_every_argument(backend: Backend) -> None:
    sid = backend.new_session()
    backend.db.log_tick(
        4,
        rng_state={"state": [1, 2, 3], "pos": 624},
        mutations=[{"node": "a", "field": "wealth", "delta": -0.5}],
        invariant_checks={"conservation": True},
        wall_time_ms=12.5,
        system_timings={"ImperialRentSystem": 1.25, "ConsciousnessSystem": 0.5},
        session_id=sid,
    )
    assert backend.db.get_tick_log(4, session_id=sid) == {
        "tick": 4,
        "rng_state": {"state": [1, 2, 3], "pos": 624},
        "mutations": [{"node": "a", "field": "wealth", "delta": -0.5}],
        "invariant_checks": {"conservation": True},
        "wall_time_ms": 12.5,
        "system_timings": {"ImperialRentSystem": 1.25, "ConsciousnessSystem": 0.5},
    }
    backend.db.log_tick(4, wall_time_ms=1.0, session_id=sid)
    log = backend.db.get_tick_log(4, session_id=sid)
    assert log is not None
    assert log["wall_time_ms"] == 1.0
    assert log["system_timings"] is None
    assert backend.db.get_tick_log(5, session_id=sid) is None
    with pytest.raises(ValidationError, match="wall_time_ms"):
        backend.db.log_tick(4, wall_time_ms=float("nan"), session_id=sid)


def test_metadata_per_database_and_per_session(backend: Backend) -> None:
    s1, s2 = backend.new_session(), backend.new_session()
    backend.db.set_metadata("schema", "1")
    backend.db.set_metadata("config", '{"a": 1}', session_id=s1)
    backend.db.set_metadata("config", '{"b": 2}', session_id=s2)
    backend.db.set_metadata("config", '{"a": 3}', session_id=s1)
    assert backend.db.get_metadata("schema") == "1"
    assert backend.db.get_metadata("config") is None
    assert backend.db.get_metadata("config", session_id=s1) == '{"a": 3}'
    assert backend.db.get_metadata("config", session_id=s2) == '{"b": 2}'
    assert backend.db.get_metadata("missing") is None
    with pytest.raises(ValidationError, match="must be str"):
        backend.db.set_metadata("n", 3)


def test_events_must_be_a_sequence(backend: Backend) -> None:
    sid = backend.new_session()
    with pytest.raises(ValidationError, match="sequence"):
        backend.db.persist_tick(0, nx.DiGraph(), {"type": "not-a-list"}, session_id=sid)
