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

import enum
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from babylon_sql.archive import pipeline as archival
from babylon_sql.catalogue import copy_types, named_row, named_rows, queries, run_batched
from babylon_sql.errors import (
    DuplicateTurnError,
    SessionNotFoundError,
    SessionRequiredError,
    ValidationError,
)
from babylon_sql.hex import journal as hex_init
from babylon_sql.hex.journal import RefreshReport
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    check_choice,
    check_h3,
    check_int,
    check_key,
    check_opt_float,
    check_opt_key,
    check_session_id,
    check_tick,
    iter_mappings,
)
from babylon_sql.protocols import TraceLevel
from babylon_sql.runtime.core import RuntimeCore, snapshot_header
from babylon_sql.runtime.graph import (
    MAX_DOCUMENT_BYTES,
    GraphBuilder,
    GraphEncoder,
    drain,
    json_or_none,
    mapping_doc,
)
from babylon_sql.server.connector import Connector, retry_idempotent
from babylon_sql.server.schema import SchemaReport, apply_schema
from babylon_sql.traces import store as tracing

SESSION_STATUSES = (
    "created",
    "active",
    "resolving",
    "running",
    "paused",
    "completed",
    "failed",
    "aborted",
)


#: The keys of a :class:`SessionInfo`, in order: the original engine's
#: ``game_session`` columns, then ``ended_at`` and ``end_tick``.
SESSION_KEYS = (
    "id", "player_id", "scenario", "current_tick", "status", "config_json",
    "game_defines_json", "trace_level", "rng_seed", "created_at", "updated_at",
    "ended_at", "end_tick",
)  # fmt: skip

TRACE_LEVELS = ("NONE", "SUMMARY", "DEBUG", "TRACE")

#: The keys of a turn returned by :meth:`PostgresRuntime.get_pending_turns`.
TURN_KEYS = (
    "id", "session_id", "tick", "org_id", "verb", "action_type", "target_id",
    "target_community", "params_json", "submitted_at", "resolved",
)  # fmt: skip


class SessionInfo(dict[str, Any]):
    """One session: a dict with the original engine's keys (``info["status"]``,
    ``info["config_json"]`` ...), also readable as attributes under this
    toolkit's names (``info.session_id``, ``info.name``, ``info.config`` ...).

    A plain ``dict`` subclass, so it serialises with ``json.dumps`` and
    compares equal to a dict with the same items. ``current_tick`` is the
    latest persisted tick (0 before any).
    """

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> SessionInfo:
        return cls(zip(SESSION_KEYS, row, strict=True))

    @property
    def session_id(self) -> uuid.UUID:
        return uuid.UUID(str(self["id"]))

    @property
    def name(self) -> str | None:
        value: str | None = self["scenario"]
        return value

    @property
    def status(self) -> str:
        return str(self["status"])

    @property
    def config(self) -> dict[str, Any]:
        value: dict[str, Any] = self["config_json"]
        return value

    @property
    def created_at(self) -> datetime:
        value: datetime = self["created_at"]
        return value

    @property
    def updated_at(self) -> datetime:
        value: datetime = self["updated_at"]
        return value

    @property
    def ended_at(self) -> datetime | None:
        value: datetime | None = self["ended_at"]
        return value

    @property
    def end_tick(self) -> int | None:
        value: int | None = self["end_tick"]
        return value


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

    def _snapshot(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        """A read-only REPEATABLE READ transaction (see :meth:`Connector.snapshot`)."""
        return self._db.snapshot()

    def _sid(self, session_id: Any) -> uuid.UUID:
        if session_id is None:
            if self._default_session is None:
                caller = sys._getframe(1).f_code.co_name
                raise SessionRequiredError(
                    f"session_id is required for PostgresRuntime.{caller}: no session_id given "
                    "and this PostgresRuntime has no default session; create one with "
                    "PostgresRuntime.create_session() and pass session_id=, or call use_session()"
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
        game_defines_json: Mapping[str, Any] | None = None,
        rng_seed: int | None = None,
        *,
        status: str | None = None,
        trace_level: str | TraceLevel = "NONE",
        player_id: int | None = None,
        scenario: str | None = None,
        config_json: Mapping[str, Any] | None = None,
    ) -> uuid.UUID:
        """Create a game session and return its UUID.

        Two call forms, one implementation: this toolkit's
        ``create_session(name, config, *, status="created")`` and the original
        engine's ``create_session(scenario, config_json, game_defines_json,
        rng_seed, *, trace_level="NONE", player_id=None)`` (``scenario`` is the
        name, ``config_json`` the config). A call carrying the original's
        arguments (``game_defines_json``, ``rng_seed``, ``scenario=`` or
        ``config_json=``) starts ``"active"``, as there; otherwise the status
        defaults to ``"created"``. A ``trace_level`` above ``NONE`` gives the
        session its own ``trace_log`` partition.
        """
        args = _session_args(
            name=name,
            config=config,
            game_defines_json=game_defines_json,
            rng_seed=rng_seed,
            status=status,
            trace_level=trace_level,
            player_id=player_id,
            scenario=scenario,
            config_json=config_json,
            limit=self.max_document_bytes,
        )
        with self._tx() as conn:
            sid = uuid.UUID(str(self._q.session.create_session(conn, **args)))
        if args["trace_level"] != "NONE":
            self.create_session_partition(sid)
        return sid

    def use_session(self, session_id: uuid.UUID | str | None) -> None:
        """Set (or clear, with ``None``) the default session of this runtime."""
        self._default_session = None if session_id is None else check_session_id(session_id)

    def get_session(self, session_id: uuid.UUID | str) -> SessionInfo | None:
        """One session (a dict with the original's keys; see :class:`SessionInfo`), or ``None``."""
        with self._tx() as conn:
            row = self._q.session.get_session(conn, session_id=check_session_id(session_id))
        return None if row is None else SessionInfo.from_row(row)

    def list_sessions(
        self, status: str | None = None, limit: int | None = 100
    ) -> list[SessionInfo]:
        """Sessions, newest first (``limit=None``: all of them)."""
        if status is not None:
            check_choice(status, "status", SESSION_STATUSES)
        if limit is not None:
            limit = check_int(limit, "limit", low=0)
        with self._tx() as conn:
            rows = list(self._q.session.list_sessions(conn, status=status, lim=limit))
        return [SessionInfo.from_row(row) for row in rows]

    def get_active_sessions(self) -> list[SessionInfo]:
        """Every session whose status is ``"active"``, newest first."""
        return self.list_sessions(status="active", limit=None)

    # -- game turns --------------------------------------------------------

    def submit_turn(
        self,
        session_id: uuid.UUID | str,
        tick: int,
        org_id: str,
        verb: str,
        *,
        action_type: str | None = None,
        target_id: str | None = None,
        target_community: str | None = None,
        params_json: Mapping[str, Any] | None = None,
    ) -> int:
        """Record an organisation's turn for a tick; returns the turn id.

        A second turn of the same organisation for the same tick raises
        :class:`~babylon_sql.errors.DuplicateTurnError` (also a
        ``psycopg.errors.UniqueViolation``); nothing is written then.
        """
        sid = check_session_id(session_id)
        tick = check_tick(tick)
        params = {
            "session_id": sid,
            "tick": tick,
            "org_id": check_key(org_id, "org_id", blank=False),
            "verb": check_key(verb, "verb", blank=False),
            "action_type": check_opt_key(action_type, "action_type"),
            "target_id": check_opt_key(target_id, "target_id"),
            "target_community": check_opt_key(target_community, "target_community"),
            "params": (
                None
                if params_json is None
                else mapping_doc(params_json, "params_json", self.max_document_bytes)
            ),
        }
        with self._tx() as conn:
            self._lock_session(conn, sid)
            turn_id = self._q.turns.submit_turn(conn, **params)
        if turn_id is None:
            raise DuplicateTurnError(
                f"organisation {org_id!r} already submitted a turn for tick {tick} of session "
                f"{sid}; one turn per organisation and tick (nothing was written)"
            )
        return int(turn_id)

    def get_pending_turns(self, session_id: uuid.UUID | str, tick: int) -> list[dict[str, Any]]:
        """The unresolved turns of a tick, in submission order (the original's row dicts)."""
        sid = check_session_id(session_id)
        tick = check_tick(tick)
        with self._tx() as conn:
            rows = list(self._q.turns.get_pending_turns(conn, session_id=sid, tick=tick))
        turns = [dict(zip(TURN_KEYS, row, strict=True)) for row in rows]
        for turn in turns:
            if turn["params_json"] is not None:
                turn["params_json"] = codec.loads(turn["params_json"])
        return turns

    def mark_turns_resolved(self, session_id: uuid.UUID | str, tick: int) -> int:
        """Mark a tick's unresolved turns resolved; returns how many changed."""
        sid = check_session_id(session_id)
        tick = check_tick(tick)
        with self._tx() as conn:
            count = self._q.turns.mark_turns_resolved(conn, session_id=sid, tick=tick)
        return int(count)

    def update_session_status(
        self, session_id: uuid.UUID | str, status: str, *, end_tick: int | None = None
    ) -> None:
        """Set a session's status (and ``end_tick`` when given)."""
        check_choice(status, "status", SESSION_STATUSES)
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
        with (
            self._tx() as conn,
            self._q.graph.count_graph_rows_cursor(conn, session_id=sid) as cur,
        ):
            counts = named_row(cur) or {}
        return {name: int(n) for name, n in counts.items()}

    # -- RuntimePersistence: see RuntimeCore; the PostgreSQL parts --------

    def _metadata_sid(self, session_id: Any) -> uuid.UUID | None:
        sid = session_id if session_id is not None else self._default_session
        return None if sid is None else check_session_id(sid)

    def _write_graph_rows(
        self, conn: psycopg.Connection[Any], sid: Any, tick: int, encoder: GraphEncoder
    ) -> None:
        # The header is written first and says which generation the rows
        # take: 0 for a new tick, which has no rows to delete; otherwise the
        # previous generation's rows go, and the new ones come under the next
        # one, so their primary keys never meet the rows just deleted.
        g = self._q.graph
        generation = g.upsert_graph_snapshot(conn, **snapshot_header(sid, tick, encoder))
        tables = [
            (g.copy_node_state, encoder.node_batches(sid, tick, generation)),
            (g.copy_edge_state, encoder.edge_batches(sid, tick, generation)),
        ]
        ahead: list[list[list[Any]]] = [[] for _ in tables]
        if generation:
            key = {"session_id": sid, "tick": tick, "generation": generation - 1}
            ahead = _encode_while(
                lambda: (g.delete_tick_edges(conn, **key), g.delete_tick_nodes(conn, **key)),
                [batches for _, batches in tables],
            )
        # Binary COPY streams the rows as they are encoded: the server checks
        # and stores one buffer while Python encodes the next.
        with conn.cursor() as cur:
            for (query, batches), early in zip(tables, ahead, strict=True):
                with cur.copy(query.sql) as copy:
                    copy.set_types(copy_types(query))
                    write = copy.write_row
                    for rows in chain(early, batches):
                        drain(map(write, rows))

    def _read_graph_rows(
        self, conn: psycopg.Connection[Any], builder: GraphBuilder, params: dict[str, Any]
    ) -> None:
        # The rows stream in chunks (libpq's chunked rows mode): the client
        # decodes one chunk while the server sends the next, and only a chunk
        # is ever held, never the whole result.
        g = self._q.graph
        with conn.cursor() as cur:
            builder.add_nodes(_stream_batches(cur, g.select_nodes.sql, params))
            builder.add_edges(_stream_batches(cur, g.select_edges.sql, params))

    # Idempotent calls (a replace, an upsert, a read) run again once when
    # their connection is lost mid-call: a terminated backend or a restarted
    # server costs no failed call (Connector.run).

    def persist_tick(
        self,
        tick: int,
        graph: Any,
        events: Sequence[Mapping[str, Any]] | None = None,
        *,
        session_id: uuid.UUID | None = None,
    ) -> None:
        """See :meth:`RuntimeCore.persist_tick`; retried once on a lost connection."""
        if isinstance(events, Iterator):  # a retry must see the same events
            events = list(events)
        self._db.run(
            lambda: RuntimeCore.persist_tick(self, tick, graph, events, session_id=session_id),
            idempotent=True,
        )

    log_tick = retry_idempotent(RuntimeCore.log_tick)
    set_metadata = retry_idempotent(RuntimeCore.set_metadata)
    latest_tick = retry_idempotent(RuntimeCore.latest_tick)
    hydrate_graph = retry_idempotent(RuntimeCore.hydrate_graph)
    get_events = retry_idempotent(RuntimeCore.get_events)
    get_tick_log = retry_idempotent(RuntimeCore.get_tick_log)
    get_metadata = retry_idempotent(RuntimeCore.get_metadata)

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
        """Communities (id or type → state) and memberships of a tick.

        A membership is a mapping naming its community (``community_id``, or
        the original's ``community_type``) and its member (``member_id``, or
        the original's ``agent_id``); enum keys are stored as their value.
        The whole mapping is kept and read back as given.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        states, members = _community_rows(
            sid, tick, community_states, memberships, self.max_document_bytes
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
        """Per-hex economics of a tick, the original's keys; see
        :func:`babylon_sql.hex.journal.persist_hex_state`."""

        hex_init.persist_hex_state(self._db, self._sid(session_id), tick, hex_states)

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
        for i, t in iter_mappings(terrain_states, "terrain_states", "terrain state"):
            h3 = check_h3(t.get("h3_index"), f"terrain state #{i} h3_index")
            if h3 in hexes:
                raise ValidationError(f"terrain state #{i}: hex {h3} appears twice")
            hexes.add(h3)
            kind = check_opt_key(t.get("terrain_type"), f"terrain state #{i} terrain_type")
            terrain.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "h3_index": h3,
                    "terrain_type": kind,
                    "state": mapping_doc(t, f"terrain state #{i}", limit, jsonb=True),
                }
            )
        links = []
        link_ids: set[str] = set()
        for i, link in iter_mappings(link_states, "link_states", "link state"):
            lid = check_key(link.get("link_id"), f"link state #{i} link_id")
            if lid in link_ids:
                raise ValidationError(f"link state #{i}: link {lid!r} appears twice")
            link_ids.add(lid)
            links.append(
                {
                    "session_id": sid,
                    "tick": tick,
                    "link_id": lid,
                    "source_id": check_opt_key(link.get("source_id"), f"link {lid!r} source_id"),
                    "target_id": check_opt_key(link.get("target_id"), f"link {lid!r} target_id"),
                    "capacity": check_opt_float(link.get("capacity"), f"link {lid!r} capacity"),
                    "condition": check_opt_float(link.get("condition"), f"link {lid!r} condition"),
                    "state": mapping_doc(link, f"link {lid!r}", limit, jsonb=True),
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
        fields: Sequence[Mapping[str, Any]] | Mapping[str, Any],
        curvatures: Sequence[Mapping[str, Any]],
        *,
        session_id: uuid.UUID,
    ) -> None:
        """Contradiction fields and edge curvatures of a tick.

        ``fields``: rows ``{node_id, field_name, value, laplacian?, dt?, d2t?}``
        (the original engine's form), or a mapping ``{field_name: value}`` of
        graph-level fields, stored as rows ``{field_name, value}``.
        ``curvatures``: rows ``{source_id, target_id, curvature, gradient?}``.
        Whole rows are kept and read back as given, in order.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        field_rows, curvature_rows = _contradiction_rows(
            sid, tick, fields, curvatures, self.max_document_bytes
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
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Field rows and curvature rows of a tick, as persisted, in order."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        x = self._q.extensions
        with self._tx() as conn:
            fields = [
                codec.loads(doc)
                for (doc,) in x.select_contradiction_fields(conn, session_id=sid, tick=tick)
            ]
            curvatures = [
                codec.loads(doc)
                for (doc,) in x.select_edge_curvatures(conn, session_id=sid, tick=tick)
            ]
        return fields, curvatures

    def persist_action_results(
        self, tick: int, results: Sequence[Mapping[str, Any]], *, session_id: uuid.UUID
    ) -> None:
        """OODA action outcomes of a tick, in order.

        Each result names its action (``action_id``) or its organisation
        (``org_id``, the original engine's key; ``actor_id`` also accepted),
        or both; an ``action_id`` appears once per tick. The original's
        ``action_type, target_id, target_community, initiative_score,
        action_cost, success, consciousness_delta, heat_delta, details`` are
        checked when present; the whole mapping is kept.
        """
        tick = check_tick(tick)
        sid = self._sid(session_id)
        rows = _action_rows(sid, tick, results, self.max_document_bytes)
        x = self._q.extensions
        self._replace_tick(
            sid,
            tick,
            deletes=(x.delete_action_result,),
            inserts=((x.insert_action_result, rows),),
        )

    def get_action_results(self, tick: int, *, session_id: uuid.UUID) -> list[dict[str, Any]]:
        """Action outcomes of a tick, as persisted, in order."""
        tick = check_tick(tick)
        sid = self._sid(session_id)
        with self._tx() as conn:
            rows = list(self._q.extensions.select_action_results(conn, session_id=sid, tick=tick))
        return [codec.loads(doc) for (doc,) in rows]

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
        q = queries("pg").traces
        with self._tx() as conn, q.select_traces_cursor(conn, session_id=sid, tick=tick) as cur:
            rows = named_rows(cur)
        for row in rows:
            row["data"] = codec.loads(row["data"])
        return rows

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
        h3_indexes: Iterable[int | str] | None = None,
    ) -> list[dict[str, Any]]:
        """Per-hex state of any past tick; see
        :func:`babylon_sql.hex_init.reconstruct_hex_state`."""

        return hex_init.reconstruct_hex_state(
            self._db, game_id, tick, county_fips=county_fips, h3_indexes=h3_indexes
        )

    # -- the original API's spatial reference data and hex state ----------

    def populate_hex_cells(self, hex_cells: Sequence[Mapping[str, Any]]) -> int:
        """Geometries and county of R7 cells; see
        :func:`babylon_sql.hex.journal.populate_hex_cells` (needs PostGIS)."""

        return hex_init.populate_hex_cells(self._db, hex_cells)

    def get_hex_state_for_tick(
        self, session_id: uuid.UUID | str, tick: int, *, county_fips: str | None = None
    ) -> list[dict[str, Any]]:
        """``hex_state`` rows of a tick, H3 indexes as hex text; see
        :func:`babylon_sql.hex.journal.get_hex_state_for_tick`."""

        return hex_init.get_hex_state_for_tick(self._db, session_id, tick, county_fips=county_fips)

    def get_hex_time_series(
        self,
        session_id: uuid.UUID | str,
        h3_index: int | str,
        *,
        tick_start: int = 0,
        tick_end: int | None = None,
    ) -> list[dict[str, Any]]:
        """One hex's ``hex_state`` rows by tick; see
        :func:`babylon_sql.hex.journal.get_hex_time_series`."""

        return hex_init.get_hex_time_series(
            self._db, session_id, h3_index, tick_start=tick_start, tick_end=tick_end
        )


_last = itemgetter(-1)

#: Most encoded documents (characters) held while the server deletes a
#: replaced tick's previous rows (see ``_encode_while``).
AHEAD_CHARS = 64 * 1024 * 1024


def _encode_while(
    work: Callable[[], object], streams: list[Iterator[list[Any]]]
) -> list[list[list[Any]]]:
    """Run ``work`` (statements on the transaction's connection) in a thread
    while this one takes batches of encoded rows from ``streams`` in turn,
    up to ``AHEAD_CHARS`` of documents; return the batches taken, per stream.

    A replace deletes the tick's previous rows before its new ones are
    copied. The server does the deleting; the client would wait for it with
    nothing to do, then encode every row. Here it encodes the first rows
    meanwhile (the thread waits on the server with the GIL released), and
    the COPY starts with them. The connection is used by one thread at a
    time: this one touches it only after ``work`` has returned. If ``work``
    fails, its error is raised; if an encoded row fails, its error is
    raised once ``work`` is over (the transaction rolls both back).
    """
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the caller below
            failure.append(exc)

    worker = threading.Thread(target=run, name="babylon-sql-delete", daemon=True)
    taken: list[list[list[Any]]] = [[] for _ in streams]
    held = 0
    worker.start()
    try:
        for stream, into in zip(streams, taken, strict=True):
            while (busy := worker.is_alive() and held < AHEAD_CHARS) and (
                rows := next(stream, None)
            ) is not None:
                into.append(rows)
                held += sum(map(len, map(_last, rows)))
            if not busy:
                break
    finally:
        worker.join()
    if failure:
        raise failure[0]
    return taken


#: Rows the server sends, and the graph builder takes, at a time. Small
#: enough that a batch's rows and the attribute dicts decoded from them stay
#: in a core's L2 cache while the builder walks them (as ``ENCODE_ROWS`` does
#: for the writer): at 100K nodes + 500K edges, batches of 250 hydrated in
#: about 0.8x the time batches of 2,000 took.
STREAM_ROWS = 250


def _stream_batches(
    cursor: psycopg.Cursor[Any], query: str, params: dict[str, Any]
) -> Iterator[list[Any]]:
    """The rows of ``query`` streamed in chunks of ``STREAM_ROWS``, a list per chunk."""
    rows = cursor.stream(query, params, size=STREAM_ROWS)
    while batch := list(islice(rows, STREAM_ROWS)):
        yield batch


def _doc_any(value: Any, what: str, limit: int) -> str:
    doc = json_or_none(value, what, limit)
    return "null" if doc is None else doc


_INT32 = 2**31
_INT64 = 2**63


def _session_args(
    *,
    name: Any,
    config: Any,
    game_defines_json: Any,
    rng_seed: Any,
    status: Any,
    trace_level: Any,
    player_id: Any,
    scenario: Any,
    config_json: Any,
    limit: int,
) -> dict[str, Any]:
    """The arguments of either create_session form, checked, as query parameters."""
    if scenario is not None and name is not None and scenario != name:
        raise ValidationError("give the session's name once: name= or scenario=, not both")
    if config_json is not None and config is not None and config_json != config:
        raise ValidationError("give the session's config once: config= or config_json=, not both")
    original = any(v is not None for v in (game_defines_json, rng_seed, scenario, config_json))
    name = scenario if scenario is not None else name
    config = config_json if config_json is not None else config
    if status is None:
        status = "active" if original else "created"
    check_choice(status, "status", SESSION_STATUSES)
    if name is not None:
        name = check_key(name, "session name (scenario)", blank=False)
    if isinstance(trace_level, TraceLevel):
        trace_level = trace_level.name
    if trace_level not in TRACE_LEVELS:
        raise ValidationError(
            f"trace_level must be one of {', '.join(TRACE_LEVELS)} (or a TraceLevel); "
            f"got {trace_level!r}"
        )
    for label, value, bound in (("rng_seed", rng_seed, _INT64), ("player_id", player_id, _INT32)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not -bound <= value < bound
        ):
            raise ValidationError(
                f"{label} must be an int that fits a signed {bound.bit_length()}-bit column, "
                f"got {value!r}"
            )
    return {
        "name": name,
        "status": status,
        "config": mapping_doc(config, "session config", limit, jsonb=True),
        "game_defines": mapping_doc(game_defines_json, "game_defines_json", limit, jsonb=True),
        "rng_seed": rng_seed,
        "trace_level": trace_level,
        "player_id": player_id,
    }


# -- row normalisers of the extension methods: one per method, taking this
# toolkit's shapes and the original engine's, giving query parameters.


def _plain(value: Any) -> Any:
    """An enum member as its value (community types are often enums)."""
    return value.value if isinstance(value, enum.Enum) else value


def _ref(value: Any, what: str) -> str:
    """A node or organisation reference as text: a non-empty str, or an int."""
    value = _plain(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return check_key(value, what, blank=False)


def _either(row: Mapping[str, Any], ours: str, theirs: str, what: str) -> Any:
    """The value under ``ours`` or, the original's spelling, ``theirs``."""
    mine, other = row.get(ours), row.get(theirs)
    if mine is not None and other is not None and _plain(mine) != _plain(other):
        raise ValidationError(f"{what}: {ours}={mine!r} and {theirs}={other!r} disagree")
    return mine if mine is not None else other


def _community_rows(
    sid: uuid.UUID, tick: int, community_states: Any, memberships: Any, limit: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not isinstance(community_states, Mapping):
        raise ValidationError(
            "community_states must map community ids (or types) to state mappings"
        )
    states = []
    for key, state in community_states.items():
        cid = check_key(_plain(key), "community id", blank=False)
        states.append(
            {
                "session_id": sid,
                "tick": tick,
                "community_id": cid,
                "state": mapping_doc(state, f"community {cid!r}", limit),
            }
        )
    members = []
    seen: set[tuple[str, str]] = set()
    for i, m in iter_mappings(memberships, "memberships", "membership"):
        what = f"membership #{i}"
        cid = _ref(
            _either(m, "community_id", "community_type", what),
            f"{what} community_id (or community_type)",
        )
        mid = _ref(_either(m, "member_id", "agent_id", what), f"{what} member_id (or agent_id)")
        if (cid, mid) in seen:
            raise ValidationError(f"{what}: ({cid!r}, {mid!r}) appears twice")
        seen.add((cid, mid))
        for number in ("strength", "visibility"):
            check_opt_float(m.get(number), f"{what} {number}")
        members.append(
            {
                "session_id": sid,
                "tick": tick,
                "community_id": cid,
                "member_id": mid,
                "attributes": mapping_doc(m, what, limit),
            }
        )
    return states, members


_FIELD_NUMBERS = ("laplacian", "dt", "d2t")


def _contradiction_rows(
    sid: uuid.UUID, tick: int, fields: Any, curvatures: Any, limit: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if isinstance(fields, Mapping):
        entries: list[tuple[int, Mapping[str, Any]]] = [
            (i, {"field_name": check_key(key, "field name", blank=False), "value": value})
            for i, (key, value) in enumerate(fields.items())
        ]
    else:
        entries = list(iter_mappings(fields, "fields", "field"))
    field_rows = []
    keys: set[tuple[str, str]] = set()
    for i, f in entries:
        node = f.get("node_id")
        node_id = "" if node is None else _ref(node, f"field #{i} node_id")
        name = check_key(_plain(f.get("field_name")), f"field #{i} field_name", blank=False)
        if (node_id, name) in keys:
            raise ValidationError(f"field #{i}: ({node!r}, {name!r}) appears twice")
        keys.add((node_id, name))
        if "value" not in f:
            raise ValidationError(f"field #{i} ({node!r}, {name!r}) has no 'value'")
        for number in _FIELD_NUMBERS:
            check_opt_float(f.get(number), f"field #{i} {number}")
        field_rows.append(
            {
                "session_id": sid,
                "tick": tick,
                "node_id": node_id,
                "field_name": name,
                "ord": i,
                "field": mapping_doc(f, f"field #{i}", limit),
            }
        )
    curvature_rows = []
    pairs: set[tuple[str, str]] = set()
    for i, c in iter_mappings(curvatures, "curvatures", "curvature"):
        src = _ref(c.get("source_id"), f"curvature #{i} source_id")
        dst = _ref(c.get("target_id"), f"curvature #{i} target_id")
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
                "ord": i,
                "curvature": mapping_doc(c, f"curvature #{i}", limit),
            }
        )
    return field_rows, curvature_rows


_ACTION_NUMBERS = ("initiative_score", "action_cost", "consciousness_delta", "heat_delta")


def _action_rows(sid: uuid.UUID, tick: int, results: Any, limit: int) -> list[dict[str, Any]]:
    rows = []
    ids: set[str] = set()
    for i, r in iter_mappings(results, "results", "action result"):
        what = f"action result #{i}"
        aid = check_opt_key(r.get("action_id"), f"{what} action_id")
        actor_ref = _either(r, "actor_id", "org_id", what)
        actor = None if actor_ref is None else _ref(actor_ref, f"{what} org_id")
        if aid is None and actor is None:
            raise ValidationError(f"{what} needs an action_id or an org_id")
        if aid is not None:
            if aid in ids:
                raise ValidationError(f"{what}: action {aid!r} appears twice")
            ids.add(aid)
        success = r.get("success")
        if success is not None and not isinstance(success, bool):
            raise ValidationError(f"{what}: success must be a bool, got {success!r}")
        for number in _ACTION_NUMBERS:
            check_opt_float(r.get(number), f"{what} {number}")
        for text in ("target_id", "target_community"):
            if r.get(text) is not None:
                _ref(r[text], f"{what} {text}")
        rows.append(
            {
                "session_id": sid,
                "tick": tick,
                "ord": i,
                "action_id": aid,
                "actor_id": actor,
                "action_type": check_opt_key(_plain(r.get("action_type")), f"{what} action_type"),
                "success": success,
                "outcome": mapping_doc(r, what, limit),
            }
        )
    return rows
