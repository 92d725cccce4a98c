"""Versioned schema migrations: ``ddl/<dialect>/migrations/NNNN_name.sql``.

The layers of ``ddl/<dialect>/NNN_layer.sql`` are the readable current
schema; the migrations are how an existing database gets there. Migration
0001 is the schema as it was when versioning began; each later file is one
change. A change to the schema is therefore two edits: the layer (what a
fresh database gets) and one new migration file (what an existing database
runs), and ``tests/test_migrations.py`` proves the two agree (an empty
normalised ``pg_dump --schema-only`` diff between a database migrated from
0001 and a fresh one).

File rules (checked by :func:`migrations`): names are ``NNNN_description.sql``
(four digits, lower-case words), numbered 1, 2, 3… without gaps or
duplicates; the first line is ``-- name: <description>#``.

PostgreSQL migrations may hold sections: the text before the first
``-- requires: <extension>`` line needs no extension; each such line starts
a section that runs only where the database has that extension (PostGIS,
pgvector). A database that lacks an extension skips those sections; when it
gains it, :func:`babylon_sql.server.schema.apply_schema` creates the whole
layer from ``ddl/`` at its current state, so the skipped sections are never
needed.

The version lives in ``babylon_schema_version`` (PostgreSQL, one row per
migration) and in ``PRAGMA user_version`` (SQLite).
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from babylon_sql.catalogue import Dialect, ddl_dir, ddl_layers, named_rows, queries
from babylon_sql.errors import SchemaError

#: ``NNNN_description.sql``.
MIGRATION_FILE = re.compile(r"^(?P<number>\d{4})_(?P<name>[a-z][a-z0-9_]*)\.sql$")

_SECTION = re.compile(r"^--\s*requires\s*:\s*(?P<names>[\w\-, ]+)$")


@dataclass(frozen=True)
class Section:
    """Part of a migration: its statements and the extensions they need."""

    requires: tuple[str, ...]
    sql: str


@dataclass(frozen=True)
class Migration:
    """One numbered migration file."""

    version: int
    name: str
    path: Path

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        """SHA-256 of the file: a migration edited after it was applied shows in status."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def sections(self) -> tuple[Section, ...]:
        """The core statements, then one section per ``-- requires:`` line."""
        parts: list[Section] = []
        requires: tuple[str, ...] = ()
        lines: list[str] = []
        for line in self.text.splitlines():
            match = _SECTION.match(line)
            if match:
                parts.append(Section(requires, "\n".join(lines)))
                requires = tuple(n.strip() for n in match["names"].split(",") if n.strip())
                lines = []
            else:
                lines.append(line)
        parts.append(Section(requires, "\n".join(lines)))
        return tuple(p for p in parts if _has_statements(p.sql))


def _has_statements(text: str) -> bool:
    return any(ln.strip() and not ln.strip().startswith("--") for ln in text.splitlines())


def migrations_dir(dialect: Dialect) -> Path:
    return ddl_dir(dialect) / "migrations"


def migration_file_problems(names: Sequence[str]) -> list[str]:
    """What is wrong with a list of migration file names (empty: nothing)."""
    problems = []
    numbers: list[int] = []
    for name in names:
        match = MIGRATION_FILE.match(name)
        if not match:
            problems.append(f"{name}: migration files are named NNNN_description.sql")
            continue
        numbers.append(int(match["number"]))
    seen: set[int] = set()
    for n in numbers:
        if n in seen:
            problems.append(f"migration number {n:04d} is used twice")
        seen.add(n)
    expected = list(range(1, len(seen) + 1))
    if sorted(seen) != expected:
        problems.append(f"migration numbers must run 1, 2, 3… without gaps, got {sorted(seen)}")
    return problems


@functools.cache
def migrations(dialect: Dialect) -> tuple[Migration, ...]:
    """The migrations of a dialect, in order; raises :class:`SchemaError` on a bad file set."""
    folder = migrations_dir(dialect)
    paths = sorted(folder.glob("*.sql"))
    problems = migration_file_problems([p.name for p in paths])
    found = []
    for path in paths:
        match = MIGRATION_FILE.match(path.name)
        if not match:
            continue
        first = path.read_text(encoding="utf-8").splitlines()[:1]
        if first != [f"-- name: {match['name']}#"]:
            problems.append(f"{path.name}: the first line must be '-- name: {match['name']}#'")
        found.append(Migration(int(match["number"]), match["name"], path))
    if problems:
        raise SchemaError(f"bad migration files in {folder}: {'; '.join(problems)}")
    return tuple(found)


def latest_version(dialect: Dialect) -> int:
    return len(migrations(dialect))


# --------------------------------------------------------------------------
# PostgreSQL


@dataclass(frozen=True)
class ExtensionState:
    """Whether this database has an extension, or the connected role may create it."""

    name: str
    installed: bool
    creatable: bool
    reason: str = ""
    """Why the role may not create it (empty when it may)."""

    @property
    def usable(self) -> bool:
        return self.installed or self.creatable


def extension_states(conn: psycopg.Connection[Any]) -> dict[str, ExtensionState]:
    """Every extension the server has, and whether this role may use it here."""
    states = {}
    for row in queries("pg").server.extension_privileges(conn):
        name, installed, trusted, superuser, can_create, role, database = row
        creatable = bool(superuser or (trusted and can_create))
        reason = ""
        if not installed and not creatable:
            if trusted:
                reason = (
                    f'role "{role}" lacks the CREATE privilege on database "{database}" '
                    f"that the trusted extension {name} needs (GRANT CREATE ON DATABASE)"
                )
            else:
                reason = (
                    f"extension {name} is not trusted, so creating it needs a superuser and "
                    f'role "{role}" is not one; ask a superuser to run '
                    f'CREATE EXTENSION {name} in database "{database}", then apply again'
                )
        states[name] = ExtensionState(name, bool(installed), creatable, reason)
    return states


@dataclass(frozen=True)
class VersionRow:
    """One row of ``babylon_schema_version``."""

    version: int
    name: str
    how: str
    checksum: str
    applied_at: datetime


def has_version_table(conn: psycopg.Connection[Any]) -> bool:
    return bool(queries("pg").server.schema_version_table_exists(conn))


def has_legacy_schema(conn: psycopg.Connection[Any]) -> bool:
    """Whether the database holds the schema of before versioning (game_session)."""
    return bool(queries("pg").server.game_schema_exists(conn))


def version_rows(conn: psycopg.Connection[Any]) -> list[VersionRow]:
    """The version table's rows (empty when there is no table)."""
    if not has_version_table(conn):
        return []
    with queries("pg").server.schema_versions_cursor(conn) as cur:
        return [VersionRow(**row) for row in named_rows(cur)]


def current_version(conn: psycopg.Connection[Any]) -> int | None:
    """The database's schema version; None when it has no version table."""
    if not has_version_table(conn):
        return None
    return max((row.version for row in version_rows(conn)), default=0)


def stamp(conn: psycopg.Connection[Any], migration: Migration, how: str) -> None:
    """Record that the database has ``migration`` (``fresh``, ``baseline`` or ``migrated``)."""
    queries("pg").server.stamp_schema_version(
        conn,
        version=migration.version,
        name=migration.name,
        how=how,
        checksum=migration.checksum,
    )


def run_migration(
    conn: psycopg.Connection[Any], migration: Migration, present: frozenset[str]
) -> tuple[str, ...]:
    """Run the sections of ``migration`` whose extensions are ``present``; stamp it.

    Returns the extensions of the sections skipped. Runs in the caller's
    transaction.
    """
    skipped: list[str] = []
    for section in migration.sections():
        if not present.issuperset(section.requires):
            skipped.extend(r for r in section.requires if r not in present)
            continue
        try:
            conn.execute(section.sql.encode())
        except psycopg.Error as exc:
            raise SchemaError(f"migration {migration.file_name} failed: {exc}") from exc
    stamp(conn, migration, "migrated")
    return tuple(dict.fromkeys(skipped))


@dataclass(frozen=True)
class SchemaStatus:
    """What ``babylon-sql schema status`` prints."""

    version: int | None
    latest: int
    rows: tuple[VersionRow, ...]
    pending: tuple[Migration, ...]
    edited: tuple[Migration, ...]
    """Migrations whose file changed after the database recorded them."""
    legacy: bool
    """The database has the schema of before versioning and no version table."""
    extensions: dict[str, ExtensionState]


def schema_status(conn: psycopg.Connection[Any]) -> SchemaStatus:
    """The database's version, its pending migrations and the extensions it may use."""
    with conn.transaction():
        rows = tuple(version_rows(conn))
        has_table = has_version_table(conn)
        legacy = not has_table and has_legacy_schema(conn)
        states = extension_states(conn)
    known = migrations("pg")
    version = max((r.version for r in rows), default=0) if has_table else None
    start = 1 if legacy else (version or 0)
    if version is None and not legacy:
        start = 0
    by_version = {r.version: r for r in rows}
    edited = tuple(
        m for m in known if m.version in by_version and by_version[m.version].checksum != m.checksum
    )
    return SchemaStatus(
        version=version,
        latest=len(known),
        rows=rows,
        pending=known[start:],
        edited=edited,
        legacy=legacy,
        extensions=states,
    )


# --------------------------------------------------------------------------
# SQLite


@dataclass(frozen=True)
class SqliteMigrationReport:
    """What :func:`migrate_sqlite` did."""

    version_before: int
    version: int
    applied: tuple[str, ...]
    fresh: bool


def sqlite_version(conn: sqlite3.Connection) -> int:
    """``PRAGMA user_version`` of the database: its schema version (0: none)."""
    return int(queries("sqlite").runtime.schema.schema_version(conn))


def migrate_sqlite(conn: sqlite3.Connection, *, target: int | None = None) -> SqliteMigrationReport:
    """Bring a SQLite runtime database to the latest schema version, in one transaction.

    A database without tables gets the layers of ``ddl/sqlite/`` and is
    stamped at the latest version; one created before versioning (tables,
    ``user_version`` 0) is taken to be at version 1; any other runs its
    pending migrations. Foreign keys are off while migrations rebuild tables
    (SQLite's documented table-rebuild procedure) and checked with
    ``PRAGMA foreign_key_check`` before the commit. ``target`` stops at that
    version (tests build old databases with it).
    """
    q = queries("sqlite").runtime.schema
    known = migrations("sqlite")
    latest = len(known)
    goal = latest if target is None else target
    if not 0 <= goal <= latest:
        raise SchemaError(f"target version must be 0 to {latest}, got {target}")
    before = sqlite_version(conn)
    if before > latest:
        raise SchemaError(
            f"this SQLite database is at schema version {before}, newer than this "
            f"babylon-sql knows ({latest}); upgrade babylon-sql"
        )
    legacy = before == 0 and bool(q.has_runtime_tables(conn))
    start = 1 if legacy else before
    fresh = before == 0 and not legacy and target is None
    if fresh:
        parts = [layer.sql for layer in ddl_layers("sqlite")]
        applied = tuple(layer.path.name for layer in ddl_layers("sqlite"))
    elif start >= goal and not legacy:
        return SqliteMigrationReport(before, before, (), False)
    else:
        parts = [m.text for m in known[start:goal]]
        applied = tuple(m.file_name for m in known[start:goal])
        goal = max(goal, start)
    set_version = sql_literal_int(q.set_schema_version.sql, goal)
    script = "\n".join([q.begin_migration.sql, *parts, set_version])
    q.foreign_keys_off(conn)
    try:
        conn.executescript(script)
        problem = q.foreign_key_check(conn)
        if problem is not None:
            raise SchemaError(
                f"migrating the SQLite schema would break a foreign key: {tuple(problem)}; "
                "nothing was changed"
            )
        conn.commit()
    except (sqlite3.Error, SchemaError) as exc:
        if conn.in_transaction:
            conn.rollback()
        if isinstance(exc, SchemaError):
            raise
        raise SchemaError(
            f"migrating the SQLite schema ({', '.join(applied)}) failed: {exc}"
        ) from exc
    finally:
        q.foreign_keys_on(conn)
    return SqliteMigrationReport(before, goal, applied, fresh)


def sql_literal_int(template: str, value: int) -> str:
    """Fill a ``{version}`` placeholder of a PRAGMA, which takes no bind parameter."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise SchemaError(f"schema version must be a non-negative int, got {value!r}")
    return template.format(version=int(value))


__all__ = [
    "ExtensionState",
    "Migration",
    "SchemaStatus",
    "Section",
    "SqliteMigrationReport",
    "VersionRow",
    "current_version",
    "extension_states",
    "latest_version",
    "migrate_sqlite",
    "migration_file_problems",
    "migrations",
    "run_migration",
    "schema_status",
    "stamp",
]
