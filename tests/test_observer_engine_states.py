"""PersistenceObserver with engine-shaped states: ``to_graph()``, pydantic events.

The engine's state objects do not carry a ``graph`` attribute; they build a
``networkx.DiGraph`` with ``to_graph()`` and keep their events as pydantic
models. These states are written here to that shape (no engine import).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from pydantic import BaseModel

from babylon_sql import PostgresRuntime, RuntimeDatabase, TraceLevel, TraceRecorder
from babylon_sql.errors import GraphTypeError
from babylon_sql.observer import EngineState, PersistenceObserver, event_dicts


class RentPaid(BaseModel):
    type: str = "rent_paid"
    tick: int
    amount: float
    payer: str


class Config(BaseModel):
    ticks: int
    seed: int
    label: str = "engine"


@dataclass
class Uprising:
    """A dataclass event (some engine systems use them)."""

    where: str
    size: int


class Territory(BaseModel):
    id: str
    wealth: float


class EngineWorld(BaseModel):
    """Shaped like the engine's WorldState: entities, events, and to_graph()."""

    tick: int
    territories: list[Territory]
    events: list[Any] = []
    economy: dict[str, float] = {}

    model_config = {"arbitrary_types_allowed": True}

    def to_graph(self) -> nx.DiGraph[Any]:
        g: nx.DiGraph[Any] = nx.DiGraph(economy=dict(self.economy))
        for t in self.territories:
            g.add_node(t.id, node_type="territory", wealth=t.wealth)
        g.add_edge("periphery", "core", edge_type="rent")
        return g


def first_world() -> EngineWorld:
    return EngineWorld(
        tick=0,
        territories=[Territory(id="core", wealth=10.0), Territory(id="periphery", wealth=2.0)],
        economy={"gdp": 100.0},
    )


def advance(world: EngineWorld) -> EngineWorld:
    tick = world.tick + 1
    core, periphery = world.territories
    return EngineWorld(
        tick=tick,
        territories=[
            Territory(id="core", wealth=core.wealth + 1.0),
            Territory(id="periphery", wealth=periphery.wealth - 1.0),
        ],
        events=[
            RentPaid(tick=tick, amount=1.0, payer="periphery"),
            {"type": "note", "text": f"tick {tick}"},
            Uprising(where="periphery", size=tick),
            "quiet_tick",
        ],
        economy={"gdp": 100.0 + tick},
    )


def expected_events(tick: int) -> list[dict[str, Any]]:
    return [
        {"type": "rent_paid", "tick": tick, "amount": 1.0, "payer": "periphery"},
        {"type": "note", "text": f"tick {tick}"},
        {"where": "periphery", "size": tick},
        {"type": "quiet_tick"},
    ]


def run(observer: PersistenceObserver, ticks: int, tracer: TraceRecorder | None) -> EngineWorld:
    world = first_world()
    observer.on_simulation_start(world, Config(ticks=ticks, seed=7))
    for _ in range(ticks):
        new = advance(world)
        if tracer is not None:
            tracer.trace("ImperialRentSystem", "transfer", {"rent": 1.0})
        observer.on_tick(world, new)
        world = new
    observer.on_simulation_end(world)
    return world


def test_engine_state_matches_the_protocol() -> None:
    assert isinstance(first_world(), EngineState)


def test_event_conversion_covers_models_mappings_dataclasses_and_text() -> None:
    assert event_dicts(advance(first_world()).events) == expected_events(1)


def test_engine_states_on_postgres(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("engine-shaped")
    tracer = TraceRecorder(level=TraceLevel.DEBUG, persistence=pg_runtime)
    observer = PersistenceObserver(persistence=pg_runtime, session_id=sid, tracer=tracer)
    assert observer.name == f"PersistenceObserver[{sid}]"
    final = run(observer, 3, tracer)

    assert json.loads(pg_runtime.get_metadata("config", session_id=sid) or "") == {
        "ticks": 3,
        "seed": 7,
        "label": "engine",
    }
    hydrated = pg_runtime.hydrate_graph(session_id=sid)
    assert nx.utils.graphs_equal(hydrated, final.to_graph())
    assert hydrated.graph == {"economy": {"gdp": 103.0}}
    assert pg_runtime.get_events(2, session_id=sid) == expected_events(2)
    assert pg_runtime.get_graph_metadata(3, session_id=sid)["economy"] == {"gdp": 103.0}
    assert [t["tick"] for t in pg_runtime.get_traces(sid)] == [1, 2, 3]
    assert pg_runtime.get_metadata("status", session_id=sid) == "completed"


def test_engine_states_on_sqlite(tmp_path: Path) -> None:
    sid = uuid.uuid4()
    with RuntimeDatabase(run_id="engine", base_dir=tmp_path) as db:
        observer = PersistenceObserver(persistence=db, session_id=sid)
        final = run(observer, 2, None)
        assert nx.utils.graphs_equal(db.hydrate_graph(session_id=sid), final.to_graph())
        assert db.get_events(1, session_id=sid) == expected_events(1)
        assert db.get_metadata("end_tick", session_id=sid) == "2"


def test_a_state_without_a_graph_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    @dataclass
    class NoGraph:
        tick: int

    sid = uuid.uuid4()
    with RuntimeDatabase(run_id="nograph", base_dir=tmp_path) as db:
        observer = PersistenceObserver(persistence=db, session_id=sid)
        with pytest.raises(GraphTypeError, match="to_graph"):
            observer.on_tick(None, NoGraph(tick=1))
        assert db.latest_tick(session_id=sid) is None
