"""Applying the PostgreSQL schema to a server: fresh install, migrations, extensions.

:func:`apply_schema` (``PostgresRuntime.init_schema()``, ``babylon-sql
schema apply`` and ``schema migrate``) takes the advisory schema lock and, in
one transaction:

- on an empty database, applies the layers of ``ddl/pg/`` and stamps it at
  the latest migration;
- on a database created before versioning (``game_session`` without
  ``babylon_schema_version``), stamps it at migration 0001 (its schema) and
  goes on as below;
- on a database at an older version, runs the pending migrations of
  ``ddl/pg/migrations/`` (:mod:`babylon_sql.server.migrations`);
- then creates the optional layers (PostGIS, pgvector) the database lacks
  but now may have, from ``ddl/pg/`` at their current state.

A database at the latest version with every layer it may have runs no DDL at
all, so a role without DDL privileges (the writer role) may call it.

A layer needing an extension that the server lacks, or that the connected
role may not create (PostGIS and pgvector are untrusted: only a superuser
creates them), is skipped with a :class:`SkippedObjectsWarning` naming the
objects and the missing extension or privilege; ``require=`` turns that into
an error raised before anything is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import psycopg

from babylon_sql.catalogue import DdlLayer, ddl_layers, queries
from babylon_sql.errors import ExtensionPrivilegeError, MissingExtensionError, SchemaError
from babylon_sql.server.migrations import (
    ExtensionState,
    extension_states,
    has_legacy_schema,
    has_version_table,
    migrations,
    run_migration,
    stamp,
)

#: Extensions a layer may require, with what a DBA installs to get them.
OPTIONAL_EXTENSIONS = {"postgis": "PostGIS", "vector": "pgvector"}


class SkippedObjectsWarning(UserWarning):
    """Schema objects were skipped because their extension is unavailable."""


@dataclass(frozen=True)
class SchemaReport:
    """What :func:`apply_schema` did."""

    applied: tuple[str, ...]
    """Layer files applied (a fresh install, or an optional layer added)."""
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Skipped layer file name → the extensions it lacked."""
    skipped_objects: tuple[str, ...] = ()
    available_extensions: frozenset[str] = frozenset()
    """Extensions the server has (whether or not this role may create them)."""
    version_before: int | None = None
    """Schema version found (None: no version table)."""
    version: int = 0
    """Schema version after the call."""
    migrated: tuple[str, ...] = ()
    """Migration files run."""
    baseline: bool = False
    """The database predated versioning and was stamped at migration 0001."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Skipped extension → why (not on the server, or the missing privilege)."""
    dry_run: bool = False


class _DryRunError(Exception):
    pass


def available_extensions(conn: psycopg.Connection[Any]) -> frozenset[str]:
    """Extensions the server has (installable by a superuser)."""
    return frozenset(extension_states(conn))


def plan(available: Iterable[str]) -> tuple[list[DdlLayer], list[DdlLayer]]:
    """Split the layers into those the server can take and those it cannot."""
    have = set(available)
    take: list[DdlLayer] = []
    skip: list[DdlLayer] = []
    for layer in ddl_layers("pg"):
        (take if have.issuperset(layer.requires) else skip).append(layer)
    return take, skip


def _reason(name: str, states: dict[str, ExtensionState]) -> str:
    state = states.get(name)
    if state is None:
        return f"extension {name} is not available on this server"
    return state.reason


def run_layer(conn: psycopg.Connection[Any], layer: DdlLayer) -> None:
    """Run one layer file in the caller's transaction (:class:`SchemaError` on failure)."""
    # The file's text as psql -f runs it: aiosql's copy (layer.sql) drops
    # comment lines, even inside function bodies, and a fresh install must
    # equal a migrated one to the byte.
    try:
        conn.execute(layer.path.read_bytes())
    except psycopg.Error as exc:
        raise SchemaError(f"layer {layer.path.name} failed: {exc}") from exc


def apply_schema(
    conn: psycopg.Connection[Any],
    *,
    require: Iterable[str] = (),
    warn: bool = True,
    target: int | None = None,
    dry_run: bool = False,
) -> SchemaReport:
    """Install or migrate the schema, in one transaction (see the module docstring).

    ``target`` stops at that migration (a fresh database then runs the
    migrations from 0001 instead of the layers; tests build old databases
    with it). ``dry_run`` does everything and rolls it back.
    """
    required = tuple(require)
    unknown = [name for name in required if name not in OPTIONAL_EXTENSIONS]
    if unknown:
        raise SchemaError(
            f"unknown extension(s) in require=: {', '.join(unknown)}; "
            f"known: {', '.join(OPTIONAL_EXTENSIONS)}"
        )
    known = migrations("pg")
    latest = len(known)
    if target is not None and not 0 <= target <= latest:
        raise SchemaError(f"target version must be 0 to {latest}, got {target}")
    q = queries("pg").server
    report: SchemaReport | None = None
    try:
        with conn.transaction():
            q.lock_schema(conn)
            states = extension_states(conn)
            usable = frozenset(n for n, s in states.items() if s.usable)
            _check_required(required, states, usable)
            report = _apply(conn, known, states, usable, target)
            if dry_run:
                report = replace(report, dry_run=True)
                raise _DryRunError
    except _DryRunError:
        pass
    assert report is not None
    if report.skipped and warn:
        lacking = sorted({r for reqs in report.skipped.values() for r in reqs})
        why = "; ".join(report.reasons[name] for name in lacking)
        warnings.warn(
            f"extension(s) {', '.join(lacking)} not usable ({why}): skipped "
            f"{', '.join(report.skipped_objects)} (from {', '.join(report.skipped)})",
            SkippedObjectsWarning,
            stacklevel=2,
        )
    return report


def _check_required(
    required: tuple[str, ...], states: dict[str, ExtensionState], usable: frozenset[str]
) -> None:
    missing = tuple(name for name in required if name not in usable)
    if not missing:
        return
    objects = tuple(
        obj
        for layer in ddl_layers("pg")
        if set(layer.requires) & set(missing)
        for obj in layer.objects()
    )
    if all(name in states for name in missing):
        raise ExtensionPrivilegeError(
            missing, objects, tuple(states[name].reason for name in missing)
        )
    raise MissingExtensionError(missing, objects)


def _apply(
    conn: psycopg.Connection[Any],
    known: tuple[Any, ...],
    states: dict[str, ExtensionState],
    usable: frozenset[str],
    target: int | None,
) -> SchemaReport:
    latest = len(known)
    applied: list[str] = []
    migrated: list[str] = []
    baseline = False
    version_before: int | None = None
    if has_version_table(conn):
        rows = queries("pg").server.schema_versions(conn)
        version_before = max((int(r[0]) for r in rows), default=0)
        start = version_before
    elif has_legacy_schema(conn):
        # Created before versioning: its schema is migration 0001's.
        baseline = True
        run_layer(conn, next(x for x in ddl_layers("pg") if x.name == "schema_version"))
        stamp(conn, known[0], "baseline")
        start = 1
    else:
        start = 0
    if start > latest:
        raise SchemaError(
            f"the database is at schema version {start}, newer than this babylon-sql "
            f"knows ({latest}); upgrade babylon-sql"
        )
    goal = latest if target is None else target
    if goal < start:
        raise SchemaError(
            f"the database is at schema version {start}; migrating down to {goal} "
            "is not supported (restore a backup instead)"
        )
    q = queries("pg").server
    take, skip = plan(usable)
    # Extensions whose layers the database has (any of their objects exists).
    present = frozenset(
        name
        for layer in ddl_layers("pg")
        if layer.requires and q.relations_exist(conn, names=list(layer.objects()))
        for name in layer.requires
    )
    if start == 0 and target is None:
        # Fresh install: the layers are the current schema.
        for layer in take:
            run_layer(conn, layer)
            applied.append(layer.path.name)
        for migration in known:
            stamp(conn, migration, "fresh")
    else:
        # Sections needing an extension run where the database has it; a run
        # from version 0 creates the extensions it may.
        for migration in known[start:goal]:
            run_migration(conn, migration, usable if start == 0 else present)
            migrated.append(migration.file_name)
        if goal == latest and start > 0:
            # Optional layers the database lacks but may now have: created
            # from ddl/ at their current state (their migrations were skipped).
            for layer in take:
                if layer.requires and not present.issuperset(layer.requires):
                    run_layer(conn, layer)
                    applied.append(layer.path.name)
    unusable = [layer for layer in skip if not present.issuperset(layer.requires)]
    skipped = {
        layer.path.name: tuple(r for r in layer.requires if r not in usable) for layer in unusable
    }
    reasons = {name: _reason(name, states) for reqs in skipped.values() for name in reqs}
    return SchemaReport(
        applied=tuple(applied),
        skipped=skipped,
        skipped_objects=tuple(obj for layer in unusable for obj in layer.objects()),
        available_extensions=frozenset(states),
        version_before=version_before,
        version=goal,
        migrated=tuple(migrated),
        baseline=baseline,
        reasons=reasons,
    )
