"""PersistenceObserver: persists a running simulation through the protocols.

The observer relies on a small state interface, :class:`SimulationState`:
every state has ``tick`` and ``graph``; everything else is optional and
read with ``getattr(state, name, None)``:

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

import inspect
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

import networkx as nx

from babylon_sql.protocols import PostgresRuntimeExtensions, RuntimePersistence, TraceCollector


@runtime_checkable
class SimulationState(Protocol):
    """What the observer needs of a simulation state."""

    @property
    def tick(self) -> int: ...

    @property
    def graph(self) -> nx.DiGraph[Any]: ...


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

    def on_simulation_start(self, initial_state: SimulationState, config: Any) -> None:
        """Store ``config`` as metadata and persist the initial state as tick 0."""
        self._set_metadata("config", _config_text(config))
        self._set_metadata("status", "running")
        self._set_status("running")
        self._persist(initial_state, tick=0)

    def on_tick(self, previous_state: SimulationState | None, new_state: SimulationState) -> None:
        """Persist the new state (and its extension data), then flush the tracer."""
        self._persist(new_state, tick=new_state.tick)

    def on_simulation_end(self, final_state: SimulationState) -> None:
        """Record ``end_tick`` and ``status``; flush what the tracer still holds."""
        tick = final_state.tick
        self._set_metadata("end_tick", str(tick))
        self._set_metadata("status", "completed")
        self._set_status("completed", end_tick=tick)
        if self.tracer is not None and self.tracer.buffer_size:
            self.tracer.flush(self.session_id, tick)

    # -- work -------------------------------------------------------------

    def _persist(self, state: SimulationState, *, tick: int) -> None:
        sid = self.session_id
        self.persistence.persist_tick(
            tick, state.graph, getattr(state, "events", None), session_id=sid
        )
        if self._extensions:
            self._persist_extensions(state, tick)
        if self.tracer is not None:
            self.tracer.flush(sid, tick)

    def _persist_extensions(self, state: SimulationState, tick: int) -> None:
        ext: PostgresRuntimeExtensions = self.persistence  # type: ignore[assignment]
        sid = self.session_id
        attrs = state.graph.graph
        ext.persist_graph_metadata(
            tick,
            _mapping(attrs.get("economy")),
            _mapping(attrs.get("state_finances")),
            _mapping(attrs.get("tick_dynamics")),
            session_id=sid,
        )
        communities = getattr(state, "community_states", None)
        memberships = getattr(state, "memberships", None)
        if communities is not None or memberships is not None:
            ext.persist_community_state(tick, communities or {}, memberships or [], session_id=sid)
        hexes = getattr(state, "hex_states", None)
        if hexes is not None:
            ext.persist_hex_state(tick, hexes, session_id=sid)
        terrain = getattr(state, "terrain_states", None)
        links = getattr(state, "link_states", None)
        if terrain is not None or links is not None:
            ext.persist_infrastructure_state(tick, terrain or [], links or [], session_id=sid)
        fields = getattr(state, "contradiction_fields", None)
        curvatures = getattr(state, "edge_curvatures", None)
        if fields is not None or curvatures is not None:
            ext.persist_contradiction_fields(tick, fields or {}, curvatures or [], session_id=sid)
        results = getattr(state, "action_results", None)
        if results is not None:
            ext.persist_action_results(tick, results, session_id=sid)
        summary = getattr(state, "tick_summary", None)
        if summary is not None:
            ext.persist_tick_summary(tick, summary, session_id=sid)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _config_text(config: Any) -> str:
    if isinstance(config, str):
        return config
    from babylon_sql.input import codec

    if isinstance(config, Mapping | Sequence):
        return codec.dumps(config, what="simulation config")
    if hasattr(config, "model_dump"):
        return codec.dumps(config.model_dump(), what="simulation config")
    if hasattr(config, "__dict__"):
        return codec.dumps(vars(config), what="simulation config")
    return codec.dumps(config, what="simulation config")


__all__ = ["PersistenceObserver", "SimulationState"]
