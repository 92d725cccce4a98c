"""Policy-optimisation games in DuckDB: sessions and per-agent policy iterations.

``DatabaseManager`` opens a DuckDB file (or ``":memory:"``); ``GameRepository``
reads and writes the two tables of ``ddl/duckdb/010_games.sql`` through the
named queries of ``queries/duckdb/games/``. Records are frozen dataclasses,
validated when they are built.

Layout (SimCash's): records and enums in :mod:`babylon_sql.games.models`,
the file and its setup in :mod:`babylon_sql.games.connection`, this
repository here; ``babylon_sql.games`` re-exports all of them.

Time zones
    A datetime reads back as it was saved: a naive one naive and equal (so
    ``datetime.now()`` comparisons keep working), an aware one aware, the
    same instant, in UTC. Each ``TIMESTAMP`` column holds the wall-clock
    value (naive as given, aware converted to UTC) and a ``*_utc`` flag
    column says which it was. DuckDB's ``TimeZone`` setting is never
    involved: values cross the driver as naive wall-clock times. Ordering by
    ``started_at`` compares wall-clock values, as SimCash's did.

Integrity beyond the seed
    * Re-saving a session or an iteration rewrites every column
      (``INSERT … ON CONFLICT … DO UPDATE``), indexed ones included.
    * An iteration can only be saved for a game that exists
      (:class:`~babylon_sql.errors.SessionNotFoundError` otherwise, nothing
      written). DuckDB's FOREIGN KEY cannot be used: it forbids updating a
      referenced session row.
    * ``update_game_session_status`` changes only the fields it is given
      (``None`` keeps the stored value) and raises ``SessionNotFoundError`` for
      an unknown game.
    * ``list_game_sessions``: newest ``started_at`` first, ``game_id``
      (descending) on a tie; an unknown status or mode is a ValidationError.
    * ``get_policy_iterations``: ordered by agent, then iteration number; an
      unknown game gives ``[]``, like ``get_game_session`` gives ``None``.
    * ``get_best_policy``: lowest ``new_cost`` among accepted iterations; on a
      tie the lowest ``iteration_number`` (the first policy to reach that cost).
      ``get_best_iteration`` returns that whole record.
    * ``get_optimization_summary``: Python ints and floats; zeros for a game
      without iterations; ``SessionNotFoundError`` for an unknown game.
      ``total_cost_improvement`` sums accepted iterations only (a rejected
      proposal improved nothing); tokens and latency sum every iteration.
    * Records: status and game mode must be among the seed's values (the
      ``GameStatus`` / ``GameMode`` members are accepted and stored as plain
      strings); ``iteration_number`` >= 1; ints fit their columns (INTEGER,
      BIGINT for ``master_seed``), bools are not ints; costs, latencies and
      final costs are finite numbers (latency >= 0); ``config_json`` and the
      policy texts are valid JSON; lists are lists of strings, copied, and
      stored as JSON array text. Rows read back are not validated again.

Bulk saving
    ``save_policy_iterations(iterable)`` turns the records into one Arrow table
    and upserts it with one statement: all rows or none, inside the caller's
    transaction if one is open. A key given twice keeps its last record, as
    saving one by one would. ``scripts/bench games`` measures it at 100,000
    rows against row-by-row ``save_policy_iteration``.

Connections
    Every query runs on the connection given to the repository itself (not on
    a ``cursor()``, which in DuckDB is a second connection), so a caller's
    ``conn.begin()`` … ``conn.commit()`` covers the repository's writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from operator import attrgetter
from typing import Any, Final, TypeVar

import duckdb
import orjson
import pyarrow as pa

from babylon_sql.catalogue import chunked, ddl_layers, queries
from babylon_sql.errors import (
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.games.connection import DatabaseManager, _Pinned, connect, get_connection
from babylon_sql.games.models import (
    INT32_MAX,
    INT64_MAX,
    GameMode,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
    _check_bool,
    _check_choice,
    _check_datetime,
    _check_float,
    _check_int,
    db_time,
    read_time,
)

__all__ = [
    "DatabaseManager",
    "GameMode",
    "GameRepository",
    "GameSessionRecord",
    "GameStatus",
    "PolicyIterationRecord",
    "connect",
    "get_connection",
]

_R = TypeVar("_R", "GameSessionRecord", "PolicyIterationRecord")

#: Name under which save_policy_iterations registers its Arrow table; the
#: queries save_policy_iteration_batch and missing_batch_games read it.
_BATCH_RELATION: Final = "policy_iteration_batch"

#: Records converted per Arrow record batch by save_policy_iterations (bounds
#: the Python lists built at once; DuckDB still receives one table).
ARROW_BATCH_ROWS: Final = 50_000


_ITERATION_FIELDS: Final = tuple(f.name for f in fields(PolicyIterationRecord))


def _session_params(s: GameSessionRecord) -> dict[str, Any]:
    started, started_utc = db_time(s.started_at)
    completed, completed_utc = (None, None) if s.completed_at is None else db_time(s.completed_at)
    return {
        "game_id": s.game_id,
        "scenario_config": s.scenario_config,
        "master_seed": s.master_seed,
        "game_mode": s.game_mode,
        "config_json": s.config_json,
        "started_at": started,
        "started_at_utc": started_utc,
        "completed_at": completed,
        "completed_at_utc": completed_utc,
        "status": s.status,
        "optimized_agents": orjson.dumps(s.optimized_agents).decode(),
        "total_iterations": s.total_iterations,
        "converged": s.converged,
        "final_cost": s.final_cost,
    }


def _trusted(cls: type[_R], values: dict[str, Any]) -> _R:
    """A record built from a stored row without validating it again.

    Rows were validated when written (and the DDL CHECKs guard the enumerated
    columns); the column types give ints, floats and bools. Skipping the
    second validation halves the cost of reading many iterations.
    """
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


def _session_from_row(row: dict[str, Any]) -> GameSessionRecord:
    completed_at = row["completed_at"]
    completed_utc = row.pop("completed_at_utc")
    row["optimized_agents"] = orjson.loads(row["optimized_agents"])
    row["started_at"] = read_time(row["started_at"], row.pop("started_at_utc"))
    row["completed_at"] = None if completed_at is None else read_time(completed_at, completed_utc)
    return _trusted(GameSessionRecord, row)


def _iteration_params(it: PolicyIterationRecord) -> dict[str, Any]:
    params = {name: getattr(it, name) for name in _ITERATION_FIELDS}
    params["validation_errors"] = orjson.dumps(it.validation_errors).decode()
    params["created_at"], params["created_at_utc"] = db_time(it.created_at)
    return params


def _iteration_from_row(row: dict[str, Any]) -> PolicyIterationRecord:
    row["validation_errors"] = orjson.loads(row["validation_errors"])
    row["created_at"] = read_time(row["created_at"], row.pop("created_at_utc"))
    return _trusted(PolicyIterationRecord, row)


_BATCH_SCHEMA: Final = pa.schema(
    [
        ("game_id", pa.string()),
        ("agent_id", pa.string()),
        ("iteration_number", pa.int32()),
        ("trigger_tick", pa.int32()),
        ("old_policy_json", pa.string()),
        ("new_policy_json", pa.string()),
        ("old_cost", pa.float64()),
        ("new_cost", pa.float64()),
        ("cost_improvement", pa.float64()),
        ("was_accepted", pa.bool_()),
        ("validation_errors", pa.string()),
        ("llm_model", pa.string()),
        ("llm_latency_seconds", pa.float64()),
        ("tokens_used", pa.int32()),
        ("created_at", pa.timestamp("us")),
        ("created_at_utc", pa.bool_()),
    ]
)
assert tuple(_BATCH_SCHEMA.names) == (*_ITERATION_FIELDS, "created_at_utc")

_ATTRIBUTES: Final = {name: attrgetter(name) for name in _ITERATION_FIELDS}


def _iterations_to_arrow(records: Sequence[PolicyIterationRecord]) -> pa.RecordBatch:
    """Records as one Arrow record batch (columns in _BATCH_SCHEMA order)."""
    columns: dict[str, Any] = {
        name: list(map(getter, records)) for name, getter in _ATTRIBUTES.items()
    }
    columns["validation_errors"] = [orjson.dumps(v).decode() for v in columns["validation_errors"]]
    stored = [db_time(value) for value in columns["created_at"]]
    columns["created_at"] = [value for value, _ in stored]
    columns["created_at_utc"] = [is_utc for _, is_utc in stored]
    arrays = [pa.array(columns[f.name], type=f.type) for f in _BATCH_SCHEMA]
    return pa.RecordBatch.from_arrays(arrays, schema=_BATCH_SCHEMA)


# --------------------------------------------------------------------------- repository


class GameRepository:
    """Game sessions and policy iterations on a DuckDB connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection | DatabaseManager) -> None:
        """Use ``conn`` (a DuckDB connection, usually ``manager.conn``, or a manager)."""
        if isinstance(conn, DatabaseManager):
            conn = conn.conn
        self._conn: duckdb.DuckDBPyConnection = conn
        self._db = _Pinned(conn)
        self._q = queries("duckdb").games

    # ---- schema

    def initialize_schema(self) -> None:
        """Create the tables and the four indexes if they do not exist."""
        for layer in ddl_layers("duckdb"):
            if layer.name == "games":
                layer.run(self._db)

    # ---- sessions

    def save_game_session(self, session: GameSessionRecord) -> None:
        """Insert a session, or rewrite every column of the one with its id."""
        if not isinstance(session, GameSessionRecord):
            raise ValidationError(f"expected a GameSessionRecord, got {type(session).__name__}")
        self._q.save_game_session(self._db, **_session_params(session))

    def get_game_session(self, game_id: str) -> GameSessionRecord | None:
        """The session with this id, or None."""
        row = self._q.get_game_session(self._db, game_id=game_id)
        return None if row is None else _session_from_row(row[0])

    def update_game_session_status(
        self,
        game_id: str,
        status: str,
        completed_at: datetime | None = None,
        total_iterations: int | None = None,
        converged: bool | None = None,
        final_cost: float | None = None,
    ) -> None:
        """Set the status and the given completion fields; None keeps a field.

        Raises :class:`SessionNotFoundError` for an unknown ``game_id``.
        """
        r = "update_game_session_status"
        completed = (
            None
            if completed_at is None
            else db_time(_check_datetime(r, "completed_at", completed_at))
        )
        params = {
            "game_id": game_id,
            "status": _check_choice(r, "status", status, GameStatus),
            "completed_at": None if completed is None else completed[0],
            "completed_at_utc": None if completed is None else completed[1],
            "total_iterations": (
                None
                if total_iterations is None
                else _check_int(r, "total_iterations", total_iterations, 0, INT32_MAX)
            ),
            "converged": None if converged is None else _check_bool(r, "converged", converged),
            "final_cost": None if final_cost is None else _check_float(r, "final_cost", final_cost),
        }
        if self._q.update_game_session_status(self._db, **params) is None:
            raise SessionNotFoundError(f"no game session with game_id {game_id!r}")

    def list_game_sessions(
        self,
        status: str | None = None,
        game_mode: str | None = None,
        limit: int = 100,
    ) -> list[GameSessionRecord]:
        """Sessions newest first (by started_at, then game_id), optionally filtered."""
        r = "list_game_sessions"
        rows = self._q.list_game_sessions(
            self._db,
            status=None if status is None else _check_choice(r, "status", status, GameStatus),
            game_mode=(
                None if game_mode is None else _check_choice(r, "game_mode", game_mode, GameMode)
            ),
            limit=_check_int(r, "limit", limit, 0, INT64_MAX),
        )
        return [_session_from_row(row[0]) for row in rows]

    # ---- iterations

    def save_policy_iteration(self, iteration: PolicyIterationRecord) -> None:
        """Insert an iteration, or rewrite the one with its (game, agent, number).

        Raises :class:`SessionNotFoundError` (nothing written) when its game
        has not been saved.
        """
        if not isinstance(iteration, PolicyIterationRecord):
            raise ValidationError(
                f"expected a PolicyIterationRecord, got {type(iteration).__name__}"
            )
        if self._q.save_policy_iteration(self._db, **_iteration_params(iteration)) is None:
            raise SessionNotFoundError(
                f"no game session with game_id {iteration.game_id!r}: "
                "save it with save_game_session before its iterations"
            )

    def save_policy_iterations(self, iterations: Iterable[PolicyIterationRecord]) -> int:
        """Save many iterations at once: one Arrow table, one upsert statement.

        The same as saving them one by one in order (a later record with the
        same key wins), but all or nothing: one statement writes every row, and
        an unknown game or an item that is not a PolicyIterationRecord writes
        nothing. Runs inside the caller's transaction if one is open on the
        connection. Returns the number of records given.
        """
        latest: dict[tuple[str, str, int], PolicyIterationRecord] = {}
        total = 0
        for position, record in enumerate(iterations):
            if not isinstance(record, PolicyIterationRecord):
                raise ValidationError(
                    f"save_policy_iterations: item {position} is a "
                    f"{type(record).__name__}, not a PolicyIterationRecord"
                )
            latest[(record.game_id, record.agent_id, record.iteration_number)] = record
            total = position + 1
        if not latest:
            return 0
        records = list(latest.values())
        batches = [_iterations_to_arrow(chunk) for chunk in chunked(records, ARROW_BATCH_ROWS)]
        self._db.register(_BATCH_RELATION, pa.Table.from_batches(batches, schema=_BATCH_SCHEMA))
        try:
            missing = [row[0] for row in self._q.missing_batch_games(self._db)]
            if missing:
                shown = ", ".join(repr(m) for m in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                raise SessionNotFoundError(
                    f"no game session with game_id {shown}{more}: save the sessions "
                    "before their iterations (nothing was written)"
                )
            self._q.save_policy_iteration_batch(self._db)
        finally:
            self._db.unregister(_BATCH_RELATION)
        return total

    def get_policy_iterations(
        self, game_id: str, agent_id: str | None = None
    ) -> list[PolicyIterationRecord]:
        """A game's iterations (of one agent if given), by agent then iteration."""
        rows = self._q.get_policy_iterations(self._db, game_id=game_id, agent_id=agent_id)
        return [_iteration_from_row(row[0]) for row in rows]

    def get_best_iteration(self, game_id: str, agent_id: str) -> PolicyIterationRecord | None:
        """The accepted iteration with the lowest new_cost (earliest on a tie)."""
        row = self._q.get_best_policy_iteration(self._db, game_id=game_id, agent_id=agent_id)
        return None if row is None else _iteration_from_row(row[0])

    def get_best_policy(self, game_id: str, agent_id: str) -> str | None:
        """The new_policy_json of :meth:`get_best_iteration`, or None."""
        best = self.get_best_iteration(game_id, agent_id)
        return None if best is None else best.new_policy_json

    # ---- queries

    def get_optimization_summary(self, game_id: str) -> dict[str, Any]:
        """Totals over a game's iterations (zeros when it has none).

        Keys: total_iterations, accepted_iterations, rejected_iterations,
        total_tokens_used (ints); total_cost_improvement (accepted iterations
        only), total_llm_latency (floats). Raises :class:`SessionNotFoundError`
        for an unknown game.
        """
        row = self._q.get_optimization_summary(self._db, game_id=game_id)
        if row is None:
            raise SessionNotFoundError(f"no game session with game_id {game_id!r}")
        summary: dict[str, Any] = row[0]
        return {
            "total_iterations": int(summary["total_iterations"]),
            "accepted_iterations": int(summary["accepted_iterations"]),
            "rejected_iterations": int(summary["rejected_iterations"]),
            "total_cost_improvement": float(summary["total_cost_improvement"]),
            "total_tokens_used": int(summary["total_tokens_used"]),
            "total_llm_latency": float(summary["total_llm_latency"]),
        }
