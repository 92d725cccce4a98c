"""PersistenceObserver: persists a running simulation through the protocols.

The observer fits the engine's state objects as they are, and simpler ones:

- the graph is ``state.to_graph()`` when the state has that method (the
  engine's states build a ``networkx.DiGraph`` on demand), else
  ``state.graph``;
- ``state.events`` items may be pydantic models (``model_dump(mode="json")``),
  mappings, dataclasses or plain objects (their public attributes); anything
  else becomes ``{"type": str(item)}``, as the original observer did;
- the config given to ``on_simulation_start`` may be a pydantic model, a
  mapping, a dataclass, an object or JSON text.

Everything else is optional and read with ``getattr(state, name, None)``;
each value may again be a model, a mapping or an object, converted the same
way:

============================  =====================================================
attribute                     persisted with
============================  =====================================================
``events``                    ``persist_tick(..., events)``
``graph.graph["economy"]``,   ``persist_graph_metadata`` (missing keys → ``{}``)
``["state_finances"]``,
``["tick_dynamics"]``
``community_states`` +        ``persist_community_state``
``memberships``
``hex_states``                ``persist_hex_state``
``terrain_states`` +          ``persist_infrastructure_state``
``link_states``
``contradiction_fields`` +    ``persist_contradiction_fields``
``edge_curvatures``
``action_results``            ``persist_action_results``
``tick_summary``              ``persist_tick_summary``
============================  =====================================================

The extension methods are called only when the backend implements
:class:`~babylon_sql.protocols.PostgresRuntimeExtensions` and the state
carries the data. Metadata is written per session: ``config`` (JSON),
``status`` and ``end_tick``.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

import networkx as nx

from babylon_sql.errors import GraphTypeError
from babylon_sql.input import codec
from babylon_sql.protocols import PostgresRuntimeExtensions, RuntimePersistence, TraceCollector


@runtime_checkable
class SimulationState(Protocol):
    """The smallest state the observer takes: a tick and a graph attribute."""

    @property
    def tick(self) -> int: ...

    @property
    def graph(self) -> nx.DiGraph[Any]: ...


@runtime_checkable
class EngineState(Protocol):
    """The engine's state shape: a tick and a ``to_graph()`` method."""

    @property
    def tick(self) -> int: ...

    def to_graph(self) -> nx.DiGraph[Any]: ...


State = SimulationState | EngineState


class PersistenceObserver:
    """A ``SimulationObserver`` that writes every tick to a persistence backend."""

    def __init__(
        self,
        persistence: RuntimePersistence,
        session_id: UUID,
        tracer: TraceCollector | None = None,
    ) -> None:
        self.persistence = persistence
        self.session_id = session_id
        self.tracer = tracer
        self._extensions = isinstance(persistence, PostgresRuntimeExtensions)
        try:
            params = inspect.signature(persistence.set_metadata).parameters
        except (TypeError, ValueError):  # pragma: no cover - builtins
            params = {}  # type: ignore[assignment]
        self._session_metadata = "session_id" in params

    @property
    def name(self) -> str:
        """The observer's name, as the engine lists its observers."""
        return f"PersistenceObserver[{self.session_id}]"

    # -- metadata ---------------------------------------------------------

    def _set_metadata(self, key: str, value: str) -> None:
        if self._session_metadata:
            self.persistence.set_metadata(key, value, session_id=self.session_id)  # type: ignore[call-arg]
        else:
            self.persistence.set_metadata(f"session:{self.session_id}:{key}", value)

    def _set_status(self, status: str, end_tick: int | None = None) -> None:
        update = getattr(self.persistence, "update_session_status", None)
        if callable(update):
            update(self.session_id, status, end_tick=end_tick)

    # -- lifecycle --------------------------------------------------------

    def on_simulation_start(self, initial_state: State, config: Any) -> None:
        """Store ``config`` as metadata and persist the initial state as tick 0."""
        self._set_metadata("config", _config_text(config))
        self._set_metadata("status", "running")
        self._set_status("running")
        self._persist(initial_state, tick=0)

    def on_tick(self, previous_state: State | None, new_state: State) -> None:
        """Persist the new state (and its extension data), then flush the tracer."""
        self._persist(new_state, tick=new_state.tick)

    def on_simulation_end(self, final_state: State) -> None:
        """Record ``end_tick`` and ``status``; flush what the tracer still holds."""
        tick = final_state.tick
        self._set_metadata("end_tick", str(tick))
        self._set_metadata("status", "completed")
        self._set_status("completed", end_tick=tick)
        if self.tracer is not None and self.tracer.buffer_size:
            self.tracer.flush(self.session_id, tick)

    # -- work -------------------------------------------------------------

    def _persist(self, state: State, *, tick: int) -> None:
        sid = self.session_id
        graph = state_graph(state)
        events = getattr(state, "events", None)
        self.persistence.persist_tick(
            tick, graph, None if events is None else event_dicts(events), session_id=sid
        )
        if self._extensions:
            self._persist_extensions(state, graph, tick)
        if self.tracer is not None:
            self.tracer.flush(sid, tick)

    def _persist_extensions(self, state: State, graph: nx.DiGraph[Any], tick: int) -> None:
        ext: PostgresRuntimeExtensions = self.persistence  # type: ignore[assignment]
        sid = self.session_id
        attrs = graph.graph

        def part(name: str) -> Any:
            value = getattr(state, name, None)
            return None if value is None else plain(value)

        ext.persist_graph_metadata(
            tick,
            _mapping(attrs.get("economy")),
            _mapping(attrs.get("state_finances")),
            _mapping(attrs.get("tick_dynamics")),
            session_id=sid,
        )
        communities = part("community_states")
        memberships = part("memberships")
        if communities is not None or memberships is not None:
            ext.persist_community_state(tick, communities or {}, memberships or [], session_id=sid)
        hexes = part("hex_states")
        if hexes is not None:
            ext.persist_hex_state(tick, hexes, session_id=sid)
        terrain = part("terrain_states")
        links = part("link_states")
        if terrain is not None or links is not None:
            ext.persist_infrastructure_state(tick, terrain or [], links or [], session_id=sid)
        fields = part("contradiction_fields")
        curvatures = part("edge_curvatures")
        if fields is not None or curvatures is not None:
            ext.persist_contradiction_fields(tick, fields or {}, curvatures or [], session_id=sid)
        results = part("action_results")
        if results is not None:
            ext.persist_action_results(tick, results, session_id=sid)
        summary = part("tick_summary")
        if summary is not None:
            ext.persist_tick_summary(tick, summary, session_id=sid)


def _mapping(value: Any) -> Mapping[str, Any]:
    value = plain(value)
    return value if isinstance(value, Mapping) else {}


def state_graph(state: Any) -> nx.DiGraph[Any]:
    """The state's graph: ``state.to_graph()`` if it has one, else ``state.graph``."""
    to_graph = getattr(state, "to_graph", None)
    graph = to_graph() if callable(to_graph) else getattr(state, "graph", None)
    if graph is None:
        raise GraphTypeError(
            f"{type(state).__name__} has neither to_graph() nor graph: the observer "
            "needs one of them to persist the state"
        )
    return graph  # type: ignore[no-any-return]


def plain(value: Any) -> Any:
    """``value`` as mappings, lists and scalars (models, dataclasses and objects converted).

    A pydantic model gives ``model_dump(mode="json")``; a dataclass its fields;
    mappings and sequences are converted item by item; scalars, text and
    bytes stay as they are (the JSON codec then applies its one rule set).
    """
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return value
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_dicts(events: Any) -> list[Any]:
    """The state's events as documents, in order (see the module docstring)."""
    out: list[Any] = []
    for item in events:
        converted = plain(item)
        if isinstance(converted, Mapping):
            out.append(dict(converted))
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            out.append({k: plain(v) for k, v in vars(item).items() if not k.startswith("_")})
        else:
            out.append({"type": str(item)})
    return out


def _config_text(config: Any) -> str:
    if isinstance(config, str):
        return config
    if hasattr(config, "model_dump") or dataclasses.is_dataclass(config):
        return codec.dumps(plain(config), what="simulation config")
    if isinstance(config, Mapping | Sequence):
        return codec.dumps(config, what="simulation config")
    if hasattr(config, "__dict__"):
        return codec.dumps(vars(config), what="simulation config")
    return codec.dumps(config, what="simulation config")


__all__ = [
    "EngineState",
    "PersistenceObserver",
    "SimulationState",
    "event_dicts",
    "plain",
    "state_graph",
]
