"""PersistenceObserver driving a small real simulation (no mocks)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from babylon_sql import PostgresRuntime, RuntimeDatabase, TraceLevel, TraceRecorder
from babylon_sql.observer import PersistenceObserver, SimulationState


@dataclass(frozen=True)
class WorldState:
    """A tiny simulation state following the observer's state interface."""

    tick: int
    graph: nx.DiGraph[Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    community_states: dict[str, dict[str, Any]] | None = None
    memberships: list[dict[str, Any]] | None = None
    action_results: list[dict[str, Any]] | None = None
    tick_summary: dict[str, Any] | None = None
    contradiction_fields: dict[str, Any] | None = None


def initial_state() -> WorldState:
    g: nx.DiGraph[Any] = nx.DiGraph(economy={"gdp": 100.0}, state_finances={"debt": 5.0})
    g.add_node("core", node_type="territory", wealth=10.0)
    g.add_node("periphery", node_type="territory", wealth=1.0)
    g.add_edge("periphery", "core", edge_type="rent", flow=1.0)
    return WorldState(0, g)


def step(state: WorldState, tracer: TraceRecorder) -> WorldState:
    """One tick: rent flows from the periphery to the core."""
    g = state.graph.copy()
    flow = g.edges["periphery", "core"]["flow"]
    g.nodes["core"]["wealth"] += flow
    g.nodes["periphery"]["wealth"] -= flow
    g.graph["tick_dynamics"] = {"transfer": flow}
    tracer.trace("ImperialRentSystem", "transfer", {"rent": flow})
    tracer.trace("ImperialRentSystem", "per_node", {"n": 1}, level=TraceLevel.TRACE)
    tick = state.tick + 1
    return replace(
        state,
        tick=tick,
        graph=g,
        events=[{"type": "rent_paid", "amount": flow}],
        community_states={"workers": {"size": tick}},
        memberships=[{"community_id": "workers", "member_id": "periphery"}],
        action_results=[{"action_id": f"act-{tick}", "success": True}],
        tick_summary={"total_wealth": 11.0},
        contradiction_fields={"core_periphery": 0.1 * tick},
    )


class Simulation:
    """Just enough of an engine to attach observers and run ticks."""

    def __init__(self, state: WorldState, tracer: TraceRecorder) -> None:
        self.state = state
        self.tracer = tracer
        self.observers: list[Any] = []

    def attach_observer(self, observer: Any) -> None:
        self.observers.append(observer)

    def run(self, ticks: int, config: dict[str, Any]) -> None:
        for obs in self.observers:
            obs.on_simulation_start(self.state, config)
        for _ in range(ticks):
            new = step(self.state, self.tracer)
            for obs in self.observers:
                obs.on_tick(self.state, new)
            self.state = new
        for obs in self.observers:
            obs.on_simulation_end(self.state)


def test_state_class_follows_the_interface() -> None:
    assert isinstance(initial_state(), SimulationState)


def test_observer_on_postgres_persists_everything(pg_runtime: PostgresRuntime) -> None:
    session_id = pg_runtime.create_session("observed")
    tracer = TraceRecorder(level=TraceLevel.DEBUG, persistence=pg_runtime)
    observer = PersistenceObserver(persistence=pg_runtime, session_id=session_id, tracer=tracer)
    sim = Simulation(initial_state(), tracer)
    sim.attach_observer(observer)
    sim.run(3, {"ticks": 3, "seed": 7})

    assert json.loads(pg_runtime.get_metadata("config", session_id=session_id) or "") == {
        "ticks": 3,
        "seed": 7,
    }
    assert pg_runtime.get_metadata("end_tick", session_id=session_id) == "3"
    assert pg_runtime.get_metadata("status", session_id=session_id) == "completed"
    info = pg_runtime.get_session(session_id)
    assert info is not None
    assert (info.status, info.end_tick) == ("completed", 3)

    assert pg_runtime.hydrate_graph(0, session_id=session_id).nodes["core"]["wealth"] == 10.0
    final = pg_runtime.hydrate_graph(session_id=session_id)
    assert final.nodes["core"]["wealth"] == 13.0
    assert nx.utils.graphs_equal(final, sim.state.graph)
    assert final.graph == sim.state.graph.graph
    assert [e["tick"] for e in pg_runtime.get_event_records(session_id=session_id)] == [1, 2, 3]
    meta = pg_runtime.get_graph_metadata(2, session_id=session_id)
    assert meta == {
        "economy": {"gdp": 100.0},
        "state_finances": {"debt": 5.0},
        "tick_dynamics": {"transfer": 1.0},
    }
    assert pg_runtime.hydrate_community_state(3, session_id=session_id) == (
        {"workers": {"size": 3}},
        [{"community_id": "workers", "member_id": "periphery"}],
    )
    assert pg_runtime.get_action_results(2, session_id=session_id) == [
        {"action_id": "act-2", "success": True}
    ]
    assert pg_runtime.get_tick_summary(3, session_id=session_id) == {"total_wealth": 11.0}
    fields, _ = pg_runtime.hydrate_contradiction_fields(3, session_id=session_id)
    assert fields == [{"field_name": "core_periphery", "value": pytest.approx(0.3)}]

    # One DEBUG trace per tick was flushed; the TRACE-level one was filtered out.
    assert tracer.buffer_size == 0
    traces = pg_runtime.get_traces(session_id)
    assert [(t["tick"], t["system"], t["data"]) for t in traces] == [
        (tick, "ImperialRentSystem", {"rent": 1.0}) for tick in (1, 2, 3)
    ]


def test_observer_on_sqlite_uses_the_core_protocol_only(tmp_path: Path) -> None:
    session_id = uuid.uuid4()
    tracer = TraceRecorder(level=TraceLevel.SUMMARY)  # no persistence: flush clears
    with RuntimeDatabase(run_id="observed", base_dir=tmp_path) as db:
        observer = PersistenceObserver(persistence=db, session_id=session_id, tracer=tracer)
        sim = Simulation(initial_state(), tracer)
        sim.attach_observer(observer)
        sim.run(2, {"ticks": 2})
        assert db.get_metadata("end_tick", session_id=session_id) == "2"
        assert db.get_metadata("status", session_id=session_id) == "completed"
        assert db.hydrate_graph(session_id=session_id).nodes["core"]["wealth"] == 12.0
        assert len(db.get_events(session_id=session_id)) == 2
    assert tracer.buffer_size == 0


def test_a_failing_tick_raises_and_keeps_the_previous_ticks(pg_runtime: PostgresRuntime) -> None:
    session_id = pg_runtime.create_session()
    observer = PersistenceObserver(pg_runtime, session_id)
    state = initial_state()
    observer.on_simulation_start(state, {"x": 1})
    bad_graph = state.graph.copy()
    bad_graph.nodes["core"]["wealth"] = float("nan")
    with pytest.raises(TypeError, match="wealth"):
        observer.on_tick(state, replace(state, tick=1, graph=bad_graph))
    assert pg_runtime.latest_tick(session_id=session_id) == 0
