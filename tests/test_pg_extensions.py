"""PostgreSQL-only: sessions and the PostgresRuntimeExtensions methods."""

from __future__ import annotations

import uuid
from typing import Any

import networkx as nx
import pytest

from babylon_sql import PostgresRuntime
from babylon_sql.errors import SerializationError, SessionNotFoundError, ValidationError


def test_sessions_are_explicit(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("run-a", {"seed": 42})
    info = pg_runtime.get_session(sid)
    assert info is not None
    assert info.name == "run-a"
    assert info.status == "created"
    assert info.config == {"seed": 42}
    pg_runtime.update_session_status(sid, "completed", end_tick=10)
    info = pg_runtime.get_session(sid)
    assert info is not None
    assert (info.status, info.end_tick) == ("completed", 10)
    assert info.ended_at is not None
    other = pg_runtime.create_session("run-b")
    assert [s.session_id for s in pg_runtime.list_sessions()] == [other, sid]
    assert [s.session_id for s in pg_runtime.list_sessions(status="completed")] == [sid]
    assert pg_runtime.get_session(uuid.uuid4()) is None
    with pytest.raises(ValidationError, match="status"):
        pg_runtime.update_session_status(sid, "exploded")
    with pytest.raises(SessionNotFoundError):
        pg_runtime.update_session_status(uuid.uuid4(), "running")


def test_unknown_session_says_how_to_create_one(pg_runtime: PostgresRuntime) -> None:
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("a")
    with pytest.raises(SessionNotFoundError, match="create_session"):
        pg_runtime.persist_tick(0, g, session_id=uuid.uuid4())
    with pytest.raises(SessionNotFoundError, match="create_session"):
        pg_runtime.persist_tick(0, g)
    with pytest.raises(ValidationError, match="UUID"):
        pg_runtime.persist_tick(0, g, session_id="not-a-uuid")  # type: ignore[arg-type]


def test_default_session(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    pg_runtime.use_session(sid)
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("a")
    pg_runtime.persist_tick(1, g)
    pg_runtime.set_metadata("k", "v")
    assert list(pg_runtime.hydrate_graph(session_id=sid)) == ["a"]
    assert pg_runtime.get_metadata("k", session_id=sid) == "v"
    assert pg_runtime.latest_tick() == 1


def test_graph_metadata(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    pg_runtime.persist_graph_metadata(
        2, {"gdp": 1e20}, {"debt": -0.0}, {"velocity": [1, 2]}, session_id=sid
    )
    pg_runtime.persist_graph_metadata(2, {"gdp": 3.0}, {}, {}, session_id=sid)
    assert pg_runtime.get_graph_metadata(2, session_id=sid) == {
        "economy": {"gdp": 3.0},
        "state_finances": {},
        "tick_dynamics": {},
    }
    with pytest.raises(SerializationError, match="economy"):
        pg_runtime.persist_graph_metadata(3, {"gdp": float("nan")}, {}, {}, session_id=sid)
    assert pg_runtime.get_graph_metadata(3, session_id=sid) is None


def test_community_state_round_trip_and_replace(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    states = {"c1": {"cohesion": 0.5, "tags": ["x"]}, "c2": {"cohesion": 1e20}}
    members = [
        {"community_id": "c1", "member_id": "a", "weight": 0.25},
        {"community_id": "c2", "member_id": "a", "role": "leader"},
    ]
    pg_runtime.persist_community_state(1, states, members, session_id=sid)
    assert pg_runtime.hydrate_community_state(1, session_id=sid) == (states, members)
    pg_runtime.persist_community_state(1, {"c3": {}}, [], session_id=sid)
    assert pg_runtime.hydrate_community_state(1, session_id=sid) == ({"c3": {}}, [])
    assert pg_runtime.hydrate_community_state(9, session_id=sid) == ({}, [])
    with pytest.raises(ValidationError, match="appears twice"):
        pg_runtime.persist_community_state(1, {}, members + members[:1], session_id=sid)
    with pytest.raises(ValidationError, match="member_id"):
        pg_runtime.persist_community_state(1, {}, [{"community_id": "c1"}], session_id=sid)
    assert pg_runtime.hydrate_community_state(1, session_id=sid) == ({"c3": {}}, [])


def test_infrastructure_state(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    terrain = [{"h3_index": "872830828ffffff", "terrain_type": "forest", "slope": 0.1}]
    links = [
        {"link_id": "r1", "source_id": "a", "target_id": "b", "capacity": 10.0, "condition": 0.9},
        {"link_id": "r2", "capacity": None},
    ]
    pg_runtime.persist_infrastructure_state(0, terrain, links, session_id=sid)
    assert pg_runtime.hydrate_infrastructure_state(0, session_id=sid) == (terrain, links)
    pg_runtime.persist_infrastructure_state(0, [], links[:1], session_id=sid)
    assert pg_runtime.hydrate_infrastructure_state(0, session_id=sid) == ([], links[:1])
    with pytest.raises(ValidationError, match="capacity"):
        pg_runtime.persist_infrastructure_state(
            0, [], [{"link_id": "x", "capacity": "lots"}], session_id=sid
        )
    with pytest.raises(ValidationError, match="h3_index"):
        pg_runtime.persist_infrastructure_state(0, [{"h3_index": "zz"}], [], session_id=sid)
    assert pg_runtime.hydrate_infrastructure_state(0, session_id=sid) == ([], links[:1])


def test_contradiction_fields(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    fields = {"class_struggle": 0.75, "vector": [1.0, -0.0], "doc": {"a": None}}
    curvatures = [{"source_id": "a", "target_id": "b", "curvature": -0.5}]
    pg_runtime.persist_contradiction_fields(3, fields, curvatures, session_id=sid)
    got_fields, got_curvatures = pg_runtime.hydrate_contradiction_fields(3, session_id=sid)
    # A mapping is shorthand for graph-level field rows; rows come back in order.
    assert got_fields == [{"field_name": k, "value": v} for k, v in fields.items()]
    assert got_curvatures == curvatures
    pg_runtime.persist_contradiction_fields(3, {}, [], session_id=sid)
    assert pg_runtime.hydrate_contradiction_fields(3, session_id=sid) == ([], [])
    with pytest.raises(ValidationError, match="curvature"):
        pg_runtime.persist_contradiction_fields(
            3, {}, [{"source_id": "a", "target_id": "b"}], session_id=sid
        )


def test_action_results(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    results = [
        {"action_id": "a1", "actor_id": "p1", "action_type": "strike", "success": True, "gain": 2},
        {"action_id": "a2", "success": False},
    ]
    pg_runtime.persist_action_results(4, results, session_id=sid)
    pg_runtime.persist_action_results(4, results, session_id=sid)
    assert pg_runtime.get_action_results(4, session_id=sid) == results
    with pytest.raises(ValidationError, match="success"):
        pg_runtime.persist_action_results(
            4, [{"action_id": "a3", "success": "yes"}], session_id=sid
        )
    with pytest.raises(ValidationError, match="sequence"):
        pg_runtime.persist_action_results(4, {"action_id": "a"}, session_id=sid)  # type: ignore[arg-type]
    assert pg_runtime.get_action_results(4, session_id=sid) == results


def test_tick_summary(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    pg_runtime.persist_tick_summary(1, {"total_c": 1.0, "uprisings": 2}, session_id=sid)
    pg_runtime.persist_tick_summary(1, {"total_c": 2.0}, session_id=sid)
    assert pg_runtime.get_tick_summary(1, session_id=sid) == {"total_c": 2.0}
    assert pg_runtime.get_tick_summary(2, session_id=sid) is None
    with pytest.raises(SessionNotFoundError):
        pg_runtime.persist_tick_summary(1, {}, session_id=uuid.uuid4())


def test_extension_writes_into_unknown_session_fail(pg_runtime: PostgresRuntime) -> None:
    ghost = uuid.uuid4()
    with pytest.raises(SessionNotFoundError):
        pg_runtime.persist_graph_metadata(0, {}, {}, {}, session_id=ghost)
    with pytest.raises(SessionNotFoundError):
        pg_runtime.persist_community_state(0, {}, [], session_id=ghost)
    with pytest.raises(SessionNotFoundError):
        pg_runtime.persist_action_results(0, [], session_id=ghost)


def test_deleting_a_session_removes_every_row(pg_runtime: PostgresRuntime) -> None:
    keep = pg_runtime.create_session("keep")
    gone = pg_runtime.create_session("gone")
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_edge("a", "b")
    for sid in (keep, gone):
        for tick in (0, 1):
            pg_runtime.persist_tick(tick, g, [{"type": "e"}], session_id=sid)
        pg_runtime.persist_traces(sid, 0, [{"system": "s", "event": "e", "data": {}}])
    assert pg_runtime.graph_row_counts(gone) == {
        "snapshots": 2,
        "nodes": 4,
        "edges": 2,
        "events": 2,
    }
    assert pg_runtime.delete_session(gone) is True
    assert pg_runtime.graph_row_counts(gone) == {
        "snapshots": 0,
        "nodes": 0,
        "edges": 0,
        "events": 0,
    }
    assert pg_runtime.get_traces(gone) == []
    assert pg_runtime.graph_row_counts(keep) == {
        "snapshots": 2,
        "nodes": 4,
        "edges": 2,
        "events": 2,
    }
    assert len(pg_runtime.get_traces(keep)) == 1
    assert pg_runtime.delete_session(gone) is False


def test_replacing_a_tick_leaves_no_orphans(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session()
    big: nx.DiGraph[Any] = nx.DiGraph()
    big.add_edges_from([(str(i), str(i + 1)) for i in range(10)])
    small: nx.DiGraph[Any] = nx.DiGraph()
    small.add_edge("x", "y")
    pg_runtime.persist_tick(0, big, [{"a": 1}, {"b": 2}], session_id=sid)
    pg_runtime.persist_tick(0, small, session_id=sid)
    assert pg_runtime.graph_row_counts(sid) == {"snapshots": 1, "nodes": 2, "edges": 1, "events": 0}


def test_concurrent_writers_of_one_tick_are_serialised(pg_runtime: PostgresRuntime) -> None:
    import threading

    sid = pg_runtime.create_session()
    graphs = []
    for k in range(4):
        g: nx.DiGraph[Any] = nx.DiGraph(writer=k)
        g.add_edges_from((f"w{k}-{i}", f"w{k}-{i + 1}") for i in range(300))
        graphs.append(g)
    errors: list[BaseException] = []
    start = threading.Barrier(len(graphs))

    def write(g: nx.DiGraph[Any]) -> None:
        start.wait()
        try:
            for _ in range(3):
                pg_runtime.persist_tick(7, g, [{"writer": g.graph["writer"]}], session_id=sid)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(g,)) for g in graphs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = pg_runtime.hydrate_graph(7, session_id=sid)
    winner = graphs[final.graph["writer"]]
    assert nx.utils.graphs_equal(final, winner)
    assert pg_runtime.graph_row_counts(sid) == {
        "snapshots": 1,
        "nodes": winner.number_of_nodes(),
        "edges": winner.number_of_edges(),
        "events": 1,
    }
