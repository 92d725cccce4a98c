"""Policy-optimisation games in DuckDB: sessions and per-agent policy iterations.

``DatabaseManager`` opens a DuckDB file (or ``":memory:"``); ``GameRepository``
reads and writes the two tables of ``ddl/duckdb/010_games.sql`` through the
named queries of ``queries/duckdb/games/``. Records are frozen dataclasses,
validated when they are built.

Time zones
    The ``TIMESTAMP`` columns hold UTC. A record converts every datetime it is
    given when it is built: an aware datetime is converted to UTC; a naive one
    is taken as the local time of the running process (Python's own rule for
    naive datetimes, and what ``datetime.now()`` returns) and converted to UTC.
    Records therefore always carry aware UTC datetimes, and what the repository
    reads back is equal to what was saved, to the microsecond. The process time
    zone (``TZ``) matters only for naive inputs; pass aware datetimes
    (``datetime.now(UTC)``) to be independent of it. DuckDB's own ``TimeZone``
    setting is never involved: values cross the driver as naive UTC.

Locking
    DuckDB lets one process open a file for writing, and then no other process
    may open it at all, not even read-only. Opening such a file raises
    :class:`~babylon_sql.errors.DatabaseLockedError`, naming the file and, when
    DuckDB reports it, the process id holding it.

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

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, TypeVar

import duckdb
import orjson
import pyarrow as pa

from babylon_sql.catalogue import chunked, ddl_layers, queries
from babylon_sql.errors import (
    ConfigurationError,
    DatabaseClosedError,
    DatabaseLockedError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_key,
    check_text,
)

__all__ = [
    "DatabaseManager",
    "GameMode",
    "GameRepository",
    "GameSessionRecord",
    "GameStatus",
    "PolicyIterationRecord",
    "connect",
]

_R = TypeVar("_R", "GameSessionRecord", "PolicyIterationRecord")

_INT32_MAX: Final = 2**31 - 1
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1

#: Name under which save_policy_iterations registers its Arrow table; the
#: queries save_policy_iteration_batch and missing_batch_games read it.
_BATCH_RELATION: Final = "policy_iteration_batch"

#: Records converted per Arrow record batch by save_policy_iterations (bounds
#: the Python lists built at once; DuckDB still receives one table).
ARROW_BATCH_ROWS: Final = 50_000


class GameStatus(StrEnum):
    """The status of a game session."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CONVERGED = "converged"


class GameMode(StrEnum):
    """How a game optimises its agents."""

    RL_OPTIMIZATION = "rl_optimization"
    CAMPAIGN_LEARNING = "campaign_learning"


# --------------------------------------------------------------------------- validation


def _bad(record: str, name: str, expected: str, value: object) -> ValidationError:
    return ValidationError(f"{record}.{name} must be {expected}, got {value!r}")


def _check_str_list(record: str, name: str, value: object) -> list[str]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _bad(record, name, "a list of strings", value)
    return [check_text(item, f"{record}.{name}[{i}]") for i, item in enumerate(value)]


def _check_datetime(record: str, name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise _bad(record, name, "a datetime", value)
    return to_utc(value)


def to_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive value is taken as local time."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def _db_time(value: datetime) -> datetime:
    """An aware datetime as the naive UTC value stored in a TIMESTAMP column."""
    return value.astimezone(UTC).replace(tzinfo=None)


def _db_time_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _db_time(value)


def _read_time(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GameSessionRecord:
    """One game session. Datetimes become aware UTC on construction."""

    game_id: str
    scenario_config: str
    master_seed: int
    game_mode: str
    config_json: str
    started_at: datetime
    status: str
    optimized_agents: list[str]
    completed_at: datetime | None = None
    total_iterations: int = 0
    converged: bool = False
    final_cost: float | None = None

    def __post_init__(self) -> None:
        r = "GameSessionRecord"
        values: dict[str, Any] = {
            "game_id": check_key(self.game_id, f"{r}.game_id", blank=False),
            "scenario_config": check_text(self.scenario_config, f"{r}.scenario_config"),
            "master_seed": check_int(
                self.master_seed, f"{r}.master_seed", low=_INT64_MIN, high=_INT64_MAX
            ),
            "game_mode": check_choice(self.game_mode, f"{r}.game_mode", GameMode),
            "config_json": codec.check_json_text(self.config_json, what=f"{r}.config_json"),
            "started_at": _check_datetime(r, "started_at", self.started_at),
            "status": check_choice(self.status, f"{r}.status", GameStatus),
            "optimized_agents": _check_str_list(r, "optimized_agents", self.optimized_agents),
            "completed_at": (
                None
                if self.completed_at is None
                else _check_datetime(r, "completed_at", self.completed_at)
            ),
            "total_iterations": check_int(
                self.total_iterations, f"{r}.total_iterations", low=0, high=_INT32_MAX
            ),
            "converged": check_bool(self.converged, f"{r}.converged"),
            "final_cost": (
                None if self.final_cost is None else check_float(self.final_cost, f"{r}.final_cost")
            ),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class PolicyIterationRecord:
    """One policy proposal of one agent. ``created_at`` becomes aware UTC."""

    game_id: str
    agent_id: str
    iteration_number: int
    trigger_tick: int
    old_policy_json: str
    new_policy_json: str
    old_cost: float
    new_cost: float
    cost_improvement: float
    was_accepted: bool
    validation_errors: list[str]
    llm_model: str
    llm_latency_seconds: float
    tokens_used: int
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        r = "PolicyIterationRecord"
        values: dict[str, Any] = {
            "game_id": check_key(self.game_id, f"{r}.game_id", blank=False),
            "agent_id": check_key(self.agent_id, f"{r}.agent_id", blank=False),
            "iteration_number": check_int(
                self.iteration_number, f"{r}.iteration_number", low=1, high=_INT32_MAX
            ),
            "trigger_tick": check_int(
                self.trigger_tick, f"{r}.trigger_tick", low=0, high=_INT32_MAX
            ),
            "old_policy_json": codec.check_json_text(
                self.old_policy_json, what=f"{r}.old_policy_json"
            ),
            "new_policy_json": codec.check_json_text(
                self.new_policy_json, what=f"{r}.new_policy_json"
            ),
            "old_cost": check_float(self.old_cost, f"{r}.old_cost"),
            "new_cost": check_float(self.new_cost, f"{r}.new_cost"),
            "cost_improvement": check_float(self.cost_improvement, f"{r}.cost_improvement"),
            "was_accepted": check_bool(self.was_accepted, f"{r}.was_accepted"),
            "validation_errors": _check_str_list(r, "validation_errors", self.validation_errors),
            "llm_model": check_text(self.llm_model, f"{r}.llm_model"),
            "llm_latency_seconds": check_float(
                self.llm_latency_seconds, f"{r}.llm_latency_seconds", low=0.0
            ),
            "tokens_used": check_int(self.tokens_used, f"{r}.tokens_used", low=0, high=_INT32_MAX),
            "created_at": _check_datetime(r, "created_at", self.created_at),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)


_ITERATION_FIELDS: Final = tuple(f.name for f in fields(PolicyIterationRecord))


def _session_params(s: GameSessionRecord) -> dict[str, Any]:
    return {
        "game_id": s.game_id,
        "scenario_config": s.scenario_config,
        "master_seed": s.master_seed,
        "game_mode": s.game_mode,
        "config_json": s.config_json,
        "started_at": _db_time(s.started_at),
        "completed_at": _db_time_or_none(s.completed_at),
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
    row["optimized_agents"] = orjson.loads(row["optimized_agents"])
    row["started_at"] = _read_time(row["started_at"])
    row["completed_at"] = None if completed_at is None else _read_time(completed_at)
    return _trusted(GameSessionRecord, row)


def _iteration_params(it: PolicyIterationRecord) -> dict[str, Any]:
    params = {name: getattr(it, name) for name in _ITERATION_FIELDS}
    params["validation_errors"] = orjson.dumps(it.validation_errors).decode()
    params["created_at"] = _db_time(it.created_at)
    return params


def _iteration_from_row(row: dict[str, Any]) -> PolicyIterationRecord:
    row["validation_errors"] = orjson.loads(row["validation_errors"])
    row["created_at"] = _read_time(row["created_at"])
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
    ]
)
assert tuple(_BATCH_SCHEMA.names) == _ITERATION_FIELDS

_ATTRIBUTES: Final = {name: attrgetter(name) for name in _ITERATION_FIELDS}


def _iterations_to_arrow(records: Sequence[PolicyIterationRecord]) -> pa.RecordBatch:
    """Records as one Arrow record batch (columns in _BATCH_SCHEMA order)."""
    columns: dict[str, Any] = {
        name: list(map(getter, records)) for name, getter in _ATTRIBUTES.items()
    }
    columns["validation_errors"] = [orjson.dumps(v).decode() for v in columns["validation_errors"]]
    arrays = [
        pa.array(columns[f.name], type=f.type) for f in _BATCH_SCHEMA if f.name != "created_at"
    ]
    # Records hold aware UTC datetimes: Arrow converts them to UTC instants, and
    # dropping the zone keeps those instants as the naive UTC the column stores.
    created = pa.array(columns["created_at"], type=pa.timestamp("us", tz="UTC"))
    arrays.append(created.cast(pa.timestamp("us")))
    return pa.RecordBatch.from_arrays(arrays, schema=_BATCH_SCHEMA)


# --------------------------------------------------------------------------- connection


_PID = re.compile(r"\(PID (\d+)\)")


def connect(
    db_path: str | os.PathLike[str], *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB database, turning open failures into babylon-sql errors.

    Raises :class:`DatabaseLockedError` when another process holds the file and
    :class:`ConfigurationError` when it cannot be opened for another reason
    (no such directory; ``read_only`` on a file that does not exist).
    """
    path = str(db_path)
    if read_only and path != ":memory:" and not Path(path).is_file():
        raise ConfigurationError(f"no DuckDB database at {path}")
    try:
        return duckdb.connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text:
            pid = _PID.search(text)
            holder = f" (process {pid.group(1)})" if pid else ""
            raise DatabaseLockedError(
                f"DuckDB database {path} is in use by another process{holder}; DuckDB lets "
                "only one process open a file it writes: close it there, or wait, and retry"
            ) from exc
        raise ConfigurationError(f"cannot open DuckDB database {path}: {text}") from exc


class DatabaseManager:
    """A DuckDB connection to ``db_path`` (or ``":memory:"``), closed on exit.

    The connection opens at construction and is available as ``.conn`` until
    :meth:`close` or the end of the ``with`` block.
    """

    def __init__(self, db_path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.db_path = str(db_path)
        self.read_only = read_only
        self._conn: duckdb.DuckDBPyConnection | None = connect(db_path, read_only=read_only)

    @property
    def conn(self) -> duckdb.DuckDBPyConnection:
        """The open ``duckdb.DuckDBPyConnection``."""
        if self._conn is None:
            raise DatabaseClosedError(f"DuckDB database {self.db_path} was already closed")
        return self._conn

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _closed(exc: Exception) -> DatabaseClosedError:
    return DatabaseClosedError(
        f"the DuckDB connection of this GameRepository is closed ({exc}); open a new one"
    )


class _Pinned:
    """The connection itself, offered to aiosql as a connection and a cursor.

    aiosql's DuckDB adapter runs each query on ``conn.cursor()``, which in
    DuckDB is a *separate* connection, with its own transaction and without
    the relations registered on ``conn``. Handing it this object keeps every
    query on the repository's connection, so a transaction the caller began
    there covers them and the registered Arrow batch is visible; ``close`` is
    a no-op.
    """

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self._conn = conn

    def cursor(self, *args: Any, **kwargs: Any) -> _Pinned:
        return self

    def execute(self, sql: str, parameters: Any = None) -> _Pinned:
        try:
            self._conn.execute(sql, parameters)
        except duckdb.ConnectionException as exc:
            raise _closed(exc) from exc
        return self

    def executemany(self, sql: str, parameters: Any) -> _Pinned:
        try:
            self._conn.executemany(sql, parameters)
        except duckdb.ConnectionException as exc:
            raise _closed(exc) from exc
        return self

    def register(self, name: str, table: pa.Table) -> None:
        try:
            self._conn.register(name, table)
        except duckdb.ConnectionException as exc:
            raise _closed(exc) from exc

    def unregister(self, name: str) -> None:
        self._conn.unregister(name)

    def fetchone(self) -> Any:
        return self._conn.fetchone()

    def fetchall(self) -> Any:
        return self._conn.fetchall()

    @property
    def description(self) -> Any:
        return self._conn.description

    @property
    def rowcount(self) -> int:
        return int(self._conn.rowcount)

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------- repository


class GameRepository:
    """Game sessions and policy iterations on a DuckDB connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection | DatabaseManager) -> None:
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
        params = {
            "game_id": game_id,
            "status": check_choice(status, f"{r}.status", GameStatus),
            "completed_at": (
                None
                if completed_at is None
                else _db_time(_check_datetime(r, "completed_at", completed_at))
            ),
            "total_iterations": (
                None
                if total_iterations is None
                else check_int(total_iterations, f"{r}.total_iterations", low=0, high=_INT32_MAX)
            ),
            "converged": None if converged is None else check_bool(converged, f"{r}.converged"),
            "final_cost": None
            if final_cost is None
            else check_float(final_cost, f"{r}.final_cost"),
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
            status=None if status is None else check_choice(status, f"{r}.status", GameStatus),
            game_mode=(
                None if game_mode is None else check_choice(game_mode, f"{r}.game_mode", GameMode)
            ),
            limit=check_int(limit, f"{r}.limit", low=0, high=_INT64_MAX),
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
