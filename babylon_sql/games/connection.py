"""The DuckDB file of the games (SimCash's ``persistence.connection``).

``DatabaseManager(path)`` opens the file (or ``":memory:"``) at once;
``setup()`` creates the games schema, applies pending migrations and checks
the tables; :func:`get_connection` does all of it and returns the connection.

Locking
    DuckDB lets one process open a file for writing, and then no other process
    may open it at all, not even read-only. Opening such a file raises
    :class:`~babylon_sql.errors.DatabaseLockedError`, naming the file and, when
    DuckDB reports it, the process id holding it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import duckdb
import pyarrow as pa

from babylon_sql.catalogue import ddl_layers, queries
from babylon_sql.errors import (
    ConfigurationError,
    DatabaseClosedError,
    DatabaseLockedError,
    SchemaValidationError,
    ValidationError,
)

__all__ = ["EXPECTED_COLUMNS", "DatabaseManager", "connect", "get_connection"]

#: Columns of each games table (the record fields and the time-zone flags).
EXPECTED_COLUMNS: Final = {
    "game_sessions": frozenset(
        {
            "game_id", "scenario_config", "master_seed", "game_mode", "config_json",
            "started_at", "started_at_utc", "completed_at", "completed_at_utc", "status",
            "optimized_agents", "total_iterations", "converged", "final_cost",
        }
    ),
    "policy_iterations": frozenset(
        {
            "game_id", "agent_id", "iteration_number", "trigger_tick", "old_policy_json",
            "new_policy_json", "old_cost", "new_cost", "cost_improvement", "was_accepted",
            "validation_errors", "llm_model", "llm_latency_seconds", "tokens_used",
            "created_at", "created_at_utc",
        }
    ),
}  # fmt: skip

_MIGRATION = re.compile(r"^(\d+)_(.+)\.sql$")

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
    :meth:`close` or the end of the ``with`` block. ``db_path`` is a ``Path``.
    ``migrations_dir`` (optional) holds ``NNN_description.sql`` files that
    :meth:`apply_migrations` applies once each, in order.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] = "simulation_data.db",
        migrations_dir: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        self.db_path = Path(db_path)
        self.migrations_dir = None if migrations_dir is None else Path(migrations_dir)
        self.read_only = read_only
        self._conn: duckdb.DuckDBPyConnection | None = connect(db_path, read_only=read_only)
        self._q = queries("duckdb").games

    @property
    def conn(self) -> duckdb.DuckDBPyConnection:
        """The open ``duckdb.DuckDBPyConnection``."""
        if self._conn is None:
            raise DatabaseClosedError(f"DuckDB database {self.db_path} was already closed")
        return self._conn

    def get_connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection (``.conn``)."""
        return self.conn

    def initialize_schema(self, force_recreate: bool = False) -> None:
        """Create the games tables (and the migrations table) if missing.

        ``force_recreate=True`` drops the games tables first: every game is lost.
        """
        db = _Pinned(self.conn)
        if force_recreate:
            self._q.drop_games_tables(db)
        for layer in ddl_layers("duckdb"):
            layer.run(db)

    def _columns(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table, column in self._q.games_columns(_Pinned(self.conn)):
            found.setdefault(str(table), set()).add(str(column))
        return found

    def is_initialized(self) -> bool:
        """Whether the games tables exist."""
        return set(self._columns()) >= set(EXPECTED_COLUMNS)

    def validate_schema(self, quiet: bool = False) -> bool:
        """Whether every games table exists with exactly the expected columns.

        Unless ``quiet``, one line per table goes to standard error.
        """
        found = self._columns()
        valid = True
        for table, expected in EXPECTED_COLUMNS.items():
            have = found.get(table)
            if have is None:
                problem = "missing"
            elif have != expected:
                extra, missing = sorted(have - expected), sorted(expected - have)
                problem = f"extra columns {extra}, missing columns {missing}"
            else:
                problem = ""
            valid = valid and not problem
            if not quiet:
                print(
                    f"{'✗' if problem else '✓'} {table}{': ' + problem if problem else ''}",
                    file=sys.stderr,
                )
        return valid

    def apply_migrations(self) -> list[int]:
        """Apply the ``NNN_description.sql`` files of ``migrations_dir`` not yet
        applied, in version order, each in its own transaction, recording it in
        ``schema_migrations``. Returns the versions applied."""
        if self.migrations_dir is None or not self.migrations_dir.is_dir():
            return []
        db = _Pinned(self.conn)
        files: dict[int, tuple[str, Path]] = {}
        for path in self.migrations_dir.iterdir():
            match = _MIGRATION.match(path.name)
            if match:
                version = int(match.group(1))
                if version in files:
                    raise ValidationError(
                        f"two migrations with version {version} in {self.migrations_dir}: "
                        f"{files[version][1].name} and {path.name}; renumber one"
                    )
                files[version] = (match.group(2), path)
        done = {int(row[0]) for row in self._q.applied_migrations(db)}
        applied = []
        for version in sorted(set(files) - done):
            description, path = files[version]
            self.conn.begin()
            try:
                self.conn.execute(path.read_text(encoding="utf-8"))
                self._q.record_migration(db, version=version, description=description)
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()
            applied.append(version)
        return applied

    def setup(self) -> None:
        """Make the file ready: create the schema, apply pending migrations,
        then check the tables; raises
        :class:`~babylon_sql.errors.SchemaValidationError` (a ``RuntimeError``)
        when they do not match."""
        self.initialize_schema()
        self.apply_migrations()
        if not self.validate_schema(quiet=True):
            found = self._columns()
            details = "; ".join(
                f"{table}: have {sorted(found.get(table, ()))}"
                for table, expected in EXPECTED_COLUMNS.items()
                if found.get(table) != set(expected)
            )
            raise SchemaValidationError(
                f"Database schema validation failed for {self.db_path} ({details}); "
                "the tables were changed by hand: repair them or use a new file"
            )

    def setup_and_connection(self) -> duckdb.DuckDBPyConnection:
        """:meth:`setup`, then the connection (closed again if setup fails)."""
        try:
            self.setup()
        except BaseException:
            self.close()
            raise
        return self.conn

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


def get_connection(
    db_path: str | os.PathLike[str] = "simulation_data.db",
) -> duckdb.DuckDBPyConnection:
    """Open ``db_path``, run :meth:`DatabaseManager.setup`, return the connection."""
    return DatabaseManager(db_path).setup_and_connection()


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
