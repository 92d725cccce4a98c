"""The persistence protocols: what the simulation engine may call.

Every protocol is ``@runtime_checkable``; method names, parameters,
keyword-only markers and return types follow the design document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

import networkx as nx


class TraceLevel(IntEnum):
    """Trace verbosity. Each level includes everything below it."""

    NONE = 0
    """Tracing disabled: ``trace()`` is a no-op."""
    SUMMARY = 1
    """High-level tick summaries only."""
    DEBUG = 2
    """Detailed system-level events."""
    TRACE = 3
    """Full per-node event logging."""


@runtime_checkable
class RuntimePersistence(Protocol):
    """Backend-agnostic tick persistence (SQLite and PostgreSQL)."""

    def persist_tick(
        self,
        tick: int,
        graph: nx.DiGraph[Any],
        events: Sequence[Mapping[str, Any]] | None = None,
        *,
        session_id: UUID | None = None,
    ) -> None: ...

    def hydrate_graph(
        self, tick: int | None = None, *, session_id: UUID | None = None
    ) -> nx.DiGraph[Any]: ...

    def log_tick(
        self,
        tick: int,
        rng_state: Any = None,
        mutations: Any = None,
        invariant_checks: Any = None,
        wall_time_ms: float | None = None,
        system_timings: Mapping[str, float] | None = None,
        *,
        session_id: UUID | None = None,
    ) -> None: ...

    def set_metadata(self, key: str, value: str) -> None: ...

    def get_metadata(self, key: str) -> str | None: ...


@runtime_checkable
class PostgresRuntimeExtensions(Protocol):
    """Subsystem state persisted by the PostgreSQL backend only."""

    def persist_graph_metadata(
        self,
        tick: int,
        economy: Mapping[str, Any],
        state_finances: Mapping[str, Any],
        tick_dynamics: Mapping[str, Any],
        *,
        session_id: UUID,
    ) -> None: ...

    def persist_community_state(
        self,
        tick: int,
        community_states: Mapping[str, Mapping[str, Any]],
        memberships: Sequence[Mapping[str, Any]],
        *,
        session_id: UUID,
    ) -> None: ...

    def hydrate_community_state(
        self, tick: int, *, session_id: UUID
    ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]: ...

    def persist_hex_state(
        self, tick: int, hex_states: Sequence[Mapping[str, Any]], *, session_id: UUID
    ) -> None: ...

    def persist_infrastructure_state(
        self,
        tick: int,
        terrain_states: Sequence[Mapping[str, Any]],
        link_states: Sequence[Mapping[str, Any]],
        *,
        session_id: UUID,
    ) -> None: ...

    def persist_contradiction_fields(
        self,
        tick: int,
        fields: Sequence[Mapping[str, Any]] | Mapping[str, Any],
        curvatures: Sequence[Mapping[str, Any]],
        *,
        session_id: UUID,
    ) -> None: ...

    def persist_action_results(
        self, tick: int, results: Sequence[Mapping[str, Any]], *, session_id: UUID
    ) -> None: ...

    def persist_tick_summary(
        self, tick: int, summary: Mapping[str, Any], *, session_id: UUID
    ) -> None: ...

    def persist_traces(
        self, session_id: UUID, tick: int, trace_events: Sequence[Mapping[str, Any]]
    ) -> None: ...

    def create_session_partition(self, session_id: UUID) -> None: ...

    def drop_session_partition(self, session_id: UUID) -> None: ...

    def export_session_to_parquet(self, session_id: UUID, output_dir: str | Path) -> list[str]: ...


@runtime_checkable
class TraceCollector(Protocol):
    """Buffered execution-trace collection: ``trace()`` in a tick, ``flush()`` after it."""

    def trace(
        self,
        system: str,
        event: str,
        data: Mapping[str, Any],
        *,
        level: TraceLevel = TraceLevel.DEBUG,
        node_id: str | None = None,
    ) -> None: ...

    def flush(self, session_id: UUID, tick: int) -> None: ...

    @property
    def level(self) -> TraceLevel: ...

    @property
    def buffer_size(self) -> int: ...


@runtime_checkable
class VectorStoreProtocol(Protocol):
    """Backend-agnostic semantic search."""

    def add_chunks(self, chunks: Sequence[Any]) -> None: ...

    def query_similar(
        self,
        query_embedding: Sequence[float],
        k: int = 10,
        where: Mapping[str, Any] | None = None,
        include: Sequence[str] | None = None,
    ) -> tuple[list[Any], list[Any], list[Any], list[Any], list[Any]]: ...

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None: ...

    def get_collection_count(self) -> int: ...
