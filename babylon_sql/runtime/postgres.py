"""PostgreSQL implementation of RuntimePersistence and PostgresRuntimeExtensions.

Sessions are explicit: :meth:`PostgresRuntime.create_session` inserts a
``game_session`` row and returns its UUID; every session-scoped write checks
that the session exists (and raises
:class:`~babylon_sql.errors.SessionNotFoundError` otherwise). A runtime may
carry a default session (``PostgresRuntime(pool, session_id=...)`` or
:meth:`use_session`) for calls that pass ``session_id=None``.

Metadata: ``set_metadata(key, value)`` without a session writes the
database-level ``runtime_metadata`` table; with ``session_id=`` (or a default
session) it writes ``session_metadata``, keyed by session, so two sessions
never share a value and no sentinel session row exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.archive import pipeline as archival
from babylon_sql.catalogue import copy_types, queries, run_batched
from babylon_sql.errors import SessionNotFoundError, ValidationError
from babylon_sql.hex import journal as hex_init
from babylon_sql.hex.journal import RefreshReport, write_hex_activity
from babylon_sql.input import codec
from babylon_sql.input.fields import check_session_id, check_tick
from babylon_sql.runtime.core import RuntimeCore, finite_or_none, snapshot_header
from babylon_sql.runtime.graph import (
    MAX_DOCUMENT_BYTES,
    GraphEncoder,
    json_or_none,
    mapping_doc,
)
from babylon_sql.server.connector import Connector
from babylon_sql.server.schema import SchemaReport, apply_schema
from babylon_sql.traces import store as tracing

SESSION_STATUSES = ("created", "running", "paused", "completed", "failed", "aborted")


@dataclass(frozen=True)
class SessionInfo:
    """One row of ``game_session``."""

    session_id: uuid.UUID
    name: str | None
    status: str
    config: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None
    end_tick: int | None


class PostgresRuntime(RuntimeCore):
    """Tick persistence on PostgreSQL through a psycopg 3 pool.

    The caller creates the pool; an unopened pool is opened here.
    ``close()`` (or leaving the ``with`` block) closes it.
    """

    def __init__(
        self,
        pool: ConnectionPool[psycopg.Connection[Any]],
        *,
        session_id: uuid.UUID | str | None = None,
        max_document_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        self._db = Connector(pool, name="this PostgresRuntime")
        self._default_session = None if session_id is None else check_session_id(session_id)
        self.max_document_bytes = max_document_bytes
        self._q = queries("pg").runtime

    # -- plumbing ---------------------------------------------------------

    @property
    def pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        """The underlying connection pool."""
        return self._db.pool

    @property
    def connector(self) -> Connector:
        """The connector shared with the hex journal, traces and archive."""
        return self._db

    def _tx(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        """A pooled connection inside one transaction (committed on success)."""
        return self._db.transaction()

    def _sid(self, session_id: Any) -> uuid.UUID:
        if session_id is None:
            if self._default_session is None:
                raise SessionNotFoundError(
                    "no session_id given and this PostgresRuntime has no default session; "
                    "create one with PostgresRuntime.create_session() and pass session_id=, "
                    "or call use_session()"
                )
            return self._default_session
        return check_session_id(session_id)

    def _lock_session(self, conn: psycopg.Connection[Any], sid: uuid.UUID) -> None:
        self._db.lock_session(conn, sid, "write")

    def init_schema(self, require: Iterable[str] = ()) -> SchemaReport:
        """Apply every schema layer the server supports; safe to call repeatedly.

        Layers whose extension (PostGIS, pgvector) the server lacks are skipped
        with a warning naming their objects; ``require=("postgis", "vector")``
        turns that into :class:`~babylon_sql.errors.MissingExtensionError`.
        """
        with self._db.connection() as conn:
            return apply_schema(conn, require=require)

    def close(self) -> None:
        """Close the connection pool."""
        self._db.close()

    def __enter__(self) -> PostgresRuntime:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------

    def create_session(
        self,
        name: str | None = None,
        config: Mapping[str, Any] | None = None,
        *,
        status: str = "created",
    ) -> uuid.UUID:
        """Create a game session and return its UUID."""
        _check_status(status)
        doc = mapping_doc(config, "session config", self.max_document_bytes)
        with self._tx() as conn:
            sid = self._q.session.create_session(conn, name=name, status=status, config=doc)
        return uuid.UUID(str(sid))

    def use_session(self, session_id: uuid.UUID | str | None) -> None:
        """Set (or clear, with ``None``) the default session of this runtime."""
        self._default_session = None if session_id is None else check_session_id(session_id)

    def get_session(self, session_id: uuid.UUID | str) -> SessionInfo | None:
        """One session, or ``None``."""
        with self._tx() as conn:
            row = self._q.session.get_session(conn, session_id=check_session_id(session_id))
        return None if row is None else SessionInfo(*row)

    def list_sessions(self, status: str | None = None, limit: int = 100) -> list[SessionInfo]:
        """Sessions, newest first."""
        if status is not None:
            _check_status(status)
        with self._tx() as conn:
            rows = list(self._q.session.list_sessions(conn, status=status, lim=limit))
        return [SessionInfo(*row) for row in rows]

    def update_session_status(
        self, session_id: uuid.UUID | str, status: str, *, end_tick: int | None = None
    ) -> None:
        """Set a session's status (and ``end_tick`` when given)."""
        _check_status(status)
        sid = check_session_id(session_id)
        if end_tick is not None:
            end_tick = check_tick(end_tick, name="end_tick")
        with self._tx() as conn:
            count = self._q.session.update_session_status(
                conn, session_id=sid, status=status, end_tick=end_tick
            )
            if count == 0:
                raise SessionNotFoundError(f"session {sid} does not exist")

    def delete_session(self, session_id: uuid.UUID | str) -> bool:
        """Delete a session and all its rows, traces included; ``False`` if unknown.

        Use :func:`babylon_sql.archival.purge_session` to delete only after a
        verified export.
        """

        sid = check_session_id(session_id)
        with self._tx() as conn:
            deleted = self._q.session.delete_session(conn, session_id=sid)
        tracing.drop_session_partition(self._db, sid)
        return bool(deleted)

    def graph_row_counts(self, session_id: uuid.UUID | str) -> dict[str, int]:
        """How many snapshot, node, edge and event rows a session has."""
        sid = check_session_id(session_id)
        with self._tx() as conn:
            row = self._q.graph.count_graph_rows(conn, session_id=sid)
        return dict(zip(("snapshots", "nodes", "edges", "events"), row, strict=True))

    # -- RuntimePersistence: see RuntimeCore; the PostgreSQL parts --------

    def _metadata_sid(self, session_id: Any) -> uuid.UUID | None:
        sid = session_id if session_id is not None else self._default_session
        return None if sid is None else check_session_id(sid)

    def _write_graph_rows(
        self, conn: psycopg.Connection[Any], sid: Any, tick: int, encoder: GraphEncoder
    ) -> None:
        # The old rows go first; the new ones come under the header's next
        # generation, so their primary keys never meet the rows just deleted.
        g = self._q.graph
        g.delete_tick_edges(conn, session_id=sid, tick=tick)
        g.delete_tick_nodes(conn, session_id=sid, tick=tick)
        generation = g.upsert_graph_snapshot(conn, **snapshot_header(sid, tick, encoder))
        # Binary COPY streams the rows as they are encoded: the server checks
        # and stores one buffer while Python encodes the next.
        with conn.cursor() as cur:
            for query, rows in (
                (g.copy_node_state, encoder.node_rows(sid, tick, generation)),
                (g.copy_edge_state, encoder.edge_rows(sid, tick, generation)),
            ):
                with cur.copy(query.sql) as copy:
                    copy.set_types(copy_types(query))
                    write = copy.write_row
                    for row in rows:
                        write(row)

    # -- PostgresRuntimeExtensions ----------------------------------------
    #
    # Each persist_* method replaces what the tick had for that subsystem, in
    # one transaction, after validating and encoding everything: persisting a
    # tick twice leaves exactly the second call's rows. Documents keep the
    # caller's whole mapping, so reads give back what was written.

    def persist_graph_metadata(
        self,
        tick: int,
        economy: Mapping[str, Any],
        state_finances: Mapping[str, Any],
        tick_dynamics: Mapping[str, Any],
        *,
        session_id: uuid.UUID,
    ) -> None:
        """Graph-level economy, state finances and tick dynamics of a tick."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        docs = {
            "economy": mapping_doc(economy, "economy", limit),
            "state_finances": mapping_doc(state_finances, "state_finances", limit),
            "tick_dynamics": mapping_doc(tick_dynamics, "tick_dynamics", limit),
        }
        with self._tx() as conn:
            self._lock_session(conn, sid)
            self._q.extensions.upsert_graph_metadata(conn, session_id=sid, tick=tick, **docs)

    def get_graph_metadata(
        self, tick: int, *, session_id: uuid.UUID
    ) -> dict[str, dict[str, Any]] | None:
        """What :meth:`persist_graph_metadata` stored for a tick, or ``None``."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        with self._tx() as conn:
            row = self._q.extensions.get_graph_metadata(conn, session_id=sid, tick=tick)
        if row is None:
            return None
        economy, finances, dynamics = row
        return {
            "economy": codec.loads(economy),
            "state_finances": codec.loads(finances),
            "tick_dynamics": codec.loads(dynamics),
        }

    def persist_community_state(
        self,
        tick: int,
        community_states: Mapping[str, Mapping[str, Any]],
        memberships: Sequence[Mapping[str, Any]],
        *,
        session_id: uuid.UUID,
    ) -> None:
        """Communities (id → state) and memberships of a tick.

        A membership is a mapping with ``community_id`` and ``member_id``
        (text); the whole mapping is kept.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        if not isinstance(community_states, Mapping):
            raise ValidationError("community_states must map community ids to state mappings")
        states = [
            {
                "session_id": sid,
                "tick": tick,
                "community_id": _text_key(cid, "community id"),
                "state": mapping_doc(state, f"community {cid!r}", limit),
            }
            for cid, state in community_states.items()
        ]
        members = []
        seen: set[tuple[str, str]] = set()
        for i, m in _mappings(memberships, "memberships", "membership"):
            cid = _text_key(m.get("community_id"), f"membership #{i} community_id")
            mid = _text_key(m.get("member_id"), f"membership #{i} member_id")
            if (cid, mid) in seen:
                raise ValidationError(f"membership #{i}: ({cid!r}, {mid!r}) appears twice")
            seen.add((cid, mid))
            members.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "community_id": cid,
                    "member_id": mid,
                    "attributes": mapping_doc(m, f"membership #{i}", limit),
                }
            )
        x = self._q.extensions
        self._replace_tick(
            sid,
            tick,
            deletes=(x.delete_community_membership, x.delete_community_state),
            inserts=((x.insert_community_state, states), (x.insert_community_membership, members)),
        )

    def hydrate_community_state(
        self, tick: int, *, session_id: uuid.UUID
    ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """Communities and memberships of a tick, as persisted (sorted by id)."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        x = self._q.extensions
        with self._tx() as conn:
            states = {
                cid: codec.loads(doc)
                for cid, doc in x.select_community_state(conn, session_id=sid, tick=tick)
            }
            members = [
                codec.loads(doc)
                for _cid, _mid, doc in x.select_community_membership(
                    conn, session_id=sid, tick=tick
                )
            ]
        return states, members

    def persist_hex_state(
        self, tick: int, hex_states: Sequence[Mapping[str, Any]], *, session_id: uuid.UUID
    ) -> None:
        """Per-hex state of a tick, into the ``hex_activity`` journal.

        Rows as :func:`babylon_sql.hex_init.write_hex_activity` takes them
        (``h3_index`` of a hex in ``hex_map``; heat, organisations, actions;
        other keys in ``state``).
        """

        write_hex_activity(self._db, self._sid(session_id), tick, hex_states)

    def persist_infrastructure_state(
        self,
        tick: int,
        terrain_states: Sequence[Mapping[str, Any]],
        link_states: Sequence[Mapping[str, Any]],
        *,
        session_id: uuid.UUID,
    ) -> None:
        """Per-hex terrain (``h3_index``, ``terrain_type``) and per-link state
        (``link_id``, ``source_id``, ``target_id``, ``capacity``, ``condition``)."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        terrain = []
        hexes: set[int] = set()
        for i, t in _mappings(terrain_states, "terrain_states", "terrain state"):
            h3 = _h3(t.get("h3_index"), f"terrain state #{i}")
            if h3 in hexes:
                raise ValidationError(f"terrain state #{i}: hex {h3} appears twice")
            hexes.add(h3)
            kind = t.get("terrain_type")
            if kind is not None and not isinstance(kind, str):
                raise ValidationError(f"terrain state #{i}: terrain_type must be text")
            terrain.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "h3_index": h3,
                    "terrain_type": kind,
                    "state": mapping_doc(t, f"terrain state #{i}", limit),
                }
            )
        links = []
        link_ids: set[str] = set()
        for i, link in _mappings(link_states, "link_states", "link state"):
            lid = _text_key(link.get("link_id"), f"link state #{i} link_id")
            if lid in link_ids:
                raise ValidationError(f"link state #{i}: link {lid!r} appears twice")
            link_ids.add(lid)
            links.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "link_id": lid,
                    "source_id": _opt_text(link.get("source_id"), f"link {lid!r} source_id"),
                    "target_id": _opt_text(link.get("target_id"), f"link {lid!r} target_id"),
                    "capacity": finite_or_none(link.get("capacity"), f"link {lid!r} capacity"),
                    "condition": finite_or_none(link.get("condition"), f"link {lid!r} condition"),
                    "state": mapping_doc(link, f"link {lid!r}", limit),
                }
            )
        x = self._q.extensions
        self._replace_tick(
            sid,
            tick,
            deletes=(x.delete_hex_terrain_state, x.delete_infrastructure_link_state),
            inserts=(
                (x.insert_hex_terrain_state, terrain),
                (x.insert_infrastructure_link_state, links),
            ),
        )

    def hydrate_infrastructure_state(
        self, tick: int, *, session_id: uuid.UUID
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Terrain states (by hex) and link states (by id) of a tick."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        x = self._q.extensions
        with self._tx() as conn:
            terrain = [
                codec.loads(doc)
                for _h3, doc in x.select_hex_terrain_state(conn, session_id=sid, tick=tick)
            ]
            links = [
                codec.loads(doc)
                for _lid, doc in x.select_infrastructure_link_state(conn, session_id=sid, tick=tick)
            ]
        return terrain, links

    def persist_contradiction_fields(
        self,
        tick: int,
        fields: Mapping[str, Any],
        curvatures: Sequence[Mapping[str, Any]],
        *,
        session_id: uuid.UUID,
    ) -> None:
        """Contradiction field values (key → JSON value) and edge curvatures
        (``source_id``, ``target_id``, ``curvature``) of a tick."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        if not isinstance(fields, Mapping):
            raise ValidationError("fields must map field keys to values")
        field_rows = [
            {
                "session_id": sid,
                "tick": tick,
                "field_key": _text_key(key, "field key"),
                "value": _doc_any(value, f"field {key!r}", limit),
            }
            for key, value in fields.items()
        ]
        curvature_rows = []
        pairs: set[tuple[str, str]] = set()
        for i, c in _mappings(curvatures, "curvatures", "curvature"):
            src = _text_key(c.get("source_id"), f"curvature #{i} source_id")
            dst = _text_key(c.get("target_id"), f"curvature #{i} target_id")
            if (src, dst) in pairs:
                raise ValidationError(f"curvature #{i}: edge ({src!r}, {dst!r}) appears twice")
            pairs.add((src, dst))
            if "curvature" not in c:
                raise ValidationError(f"curvature #{i} has no 'curvature' value")
            curvature_rows.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "source_id": src,
                    "target_id": dst,
                    "curvature": _doc_any(c["curvature"], f"curvature #{i}", limit),
                }
            )
        x = self._q.extensions
        self._replace_tick(
            sid,
            tick,
            deletes=(x.delete_contradiction_field, x.delete_edge_curvature),
            inserts=(
                (x.insert_contradiction_field, field_rows),
                (x.insert_edge_curvature, curvature_rows),
            ),
        )

    def hydrate_contradiction_fields(
        self, tick: int, *, session_id: uuid.UUID
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Field values and edge curvatures of a tick, as persisted."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        x = self._q.extensions
        with self._tx() as conn:
            fields = {
                key: codec.loads(value)
                for key, value in x.select_contradiction_fields(conn, session_id=sid, tick=tick)
            }
            curvatures = [
                {"source_id": s, "target_id": t, "curvature": codec.loads(value)}
                for s, t, value in x.select_edge_curvatures(conn, session_id=sid, tick=tick)
            ]
        return fields, curvatures

    def persist_action_results(
        self, tick: int, results: Sequence[Mapping[str, Any]], *, session_id: uuid.UUID
    ) -> None:
        """OODA action outcomes of a tick: mappings with ``action_id`` (and
        optionally ``actor_id``, ``action_type``, ``success``)."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        limit = self.max_document_bytes
        rows = []
        ids: set[str] = set()
        for i, r in _mappings(results, "results", "action result"):
            aid = _text_key(r.get("action_id"), f"action result #{i} action_id")
            if aid in ids:
                raise ValidationError(f"action result #{i}: action {aid!r} appears twice")
            ids.add(aid)
            success = r.get("success")
            if success is not None and not isinstance(success, bool):
                raise ValidationError(f"action {aid!r}: success must be a bool")
            rows.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "action_id": aid,
                    "actor_id": _opt_text(r.get("actor_id"), f"action {aid!r} actor_id"),
                    "action_type": _opt_text(r.get("action_type"), f"action {aid!r} action_type"),
                    "success": success,
                    "outcome": mapping_doc(r, f"action {aid!r}", limit),
                }
            )
        x = self._q.extensions
        self._replace_tick(
            sid,
            tick,
            deletes=(x.delete_action_result,),
            inserts=((x.insert_action_result, rows),),
        )

    def get_action_results(self, tick: int, *, session_id: uuid.UUID) -> list[dict[str, Any]]:
        """Action outcomes of a tick, by action id."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        with self._tx() as conn:
            rows = list(self._q.extensions.select_action_results(conn, session_id=sid, tick=tick))
        return [codec.loads(doc) for _aid, doc in rows]

    def persist_tick_summary(
        self, tick: int, summary: Mapping[str, Any], *, session_id: uuid.UUID
    ) -> None:
        """Pre-aggregated summary of a tick (any JSON mapping)."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        doc = mapping_doc(summary, "tick summary", self.max_document_bytes)
        with self._tx() as conn:
            self._lock_session(conn, sid)
            self._q.ticks.upsert_tick_summary(conn, session_id=sid, tick=tick, summary=doc)

    def get_tick_summary(self, tick: int, *, session_id: uuid.UUID) -> dict[str, Any] | None:
        """The summary of a tick, or ``None``."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        with self._tx() as conn:
            doc = self._q.ticks.get_tick_summary(conn, session_id=sid, tick=tick)
        return None if doc is None else dict(codec.loads(doc))

    def persist_traces(
        self, session_id: uuid.UUID, tick: int, trace_events: Sequence[Mapping[str, Any]]
    ) -> None:
        """Store a tick's trace events (replacing that tick's); see :mod:`.traces.store`."""
        tracing.persist_traces(self._db, check_session_id(session_id), tick, trace_events)

    def _replace_tick(
        self,
        sid: uuid.UUID,
        tick: int,
        *,
        deletes: Sequence[Any],
        inserts: Sequence[tuple[Any, list[dict[str, Any]]]],
    ) -> None:
        """Replace what a tick had in some tables, in one transaction: check the
        session, run the ``delete_*`` queries, then the ``insert_*`` batches."""
        with self._tx() as conn:
            self._lock_session(conn, sid)
            for delete in deletes:
                delete(conn, session_id=sid, tick=tick)
            for insert, rows in inserts:
                run_batched(insert, conn, rows)

    def get_traces(self, session_id: uuid.UUID, tick: int | None = None) -> list[dict[str, Any]]:
        """Stored trace events of a session (one tick or all), in order."""
        sid = check_session_id(session_id)
        if tick is not None:
            tick = check_tick(tick)
        with self._tx() as conn:
            rows = list(queries("pg").traces.select_traces(conn, session_id=sid, tick=tick))
        return [
            {
                "tick": t,
                "seq": seq,
                "level": level,
                "system": system,
                "event": event,
                "node_id": node_id,
                "data": codec.loads(data),
            }
            for t, seq, level, system, event, node_id, data in rows
        ]

    def create_session_partition(self, session_id: uuid.UUID) -> None:
        """Give the session its own UNLOGGED ``trace_log`` partition (idempotent)."""

        tracing.create_session_partition(self._db, check_session_id(session_id))

    def drop_session_partition(self, session_id: uuid.UUID) -> None:
        """Drop the session's traces and partition (idempotent)."""

        tracing.drop_session_partition(self._db, check_session_id(session_id))

    def export_session_to_parquet(self, session_id: uuid.UUID, output_dir: str | Path) -> list[str]:
        """Export the session to Parquet files (and a manifest); see
        :func:`babylon_sql.archival.export_session_to_parquet`."""

        return archival.export_session_to_parquet(
            self._db, check_session_id(session_id), output_dir
        )

    # -- the hex journal --------------------------------------------------

    def refresh_hex_latest(self, game_id: uuid.UUID | str, tick: int) -> RefreshReport:
        """Bring ``hex_latest`` to ``tick``; see :func:`babylon_sql.hex_init.refresh_hex_latest`."""

        return hex_init.refresh_hex_latest(self._db, game_id, tick)

    def reconstruct_hex_state(
        self,
        game_id: uuid.UUID | str,
        tick: int,
        *,
        county_fips: str | None = None,
        h3_indexes: Iterable[int] | None = None,
    ) -> list[dict[str, Any]]:
        """Per-hex state of any past tick; see
        :func:`babylon_sql.hex_init.reconstruct_hex_state`."""

        return hex_init.reconstruct_hex_state(
            self._db, game_id, tick, county_fips=county_fips, h3_indexes=h3_indexes
        )


def _check_status(status: Any) -> None:
    if status not in SESSION_STATUSES:
        raise ValidationError(
            f"status must be one of {', '.join(SESSION_STATUSES)}; got {status!r}"
        )


def _text_key(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{what} must be a non-empty str, got {value!r}")
    if "\x00" in value:
        raise ValidationError(f"{what}: NUL characters cannot be stored in text")
    return value


def _opt_text(value: Any, what: str) -> str | None:
    return None if value is None else _text_key(value, what)


def _mappings(value: Any, what: str, item: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, mapping)`` for a sequence of mappings; anything else is refused."""
    if value is None:
        return
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise ValidationError(f"{what} must be a sequence (list or tuple) of mappings")
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise ValidationError(f"{item} #{i} must be a mapping")
        yield i, entry


def _h3(value: Any, what: str) -> int:
    if isinstance(value, str):
        try:
            return int(value, 16)
        except ValueError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
        return value
    raise ValidationError(f"{what}: h3_index must be an H3 cell (int or hex text), got {value!r}")


def _doc_any(value: Any, what: str, limit: int) -> str:
    doc = json_or_none(value, what, limit)
    return "null" if doc is None else doc
