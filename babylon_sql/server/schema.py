"""Applying the PostgreSQL schema layers to a server, extension-aware."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from babylon_sql.catalogue import DdlLayer, ddl_layers, queries
from babylon_sql.errors import MissingExtensionError, SchemaError

#: Extensions a layer may require, with what a DBA installs to get them.
OPTIONAL_EXTENSIONS = {"postgis": "PostGIS", "vector": "pgvector"}


class SkippedObjectsWarning(UserWarning):
    """Schema objects were skipped because their extension is unavailable."""


@dataclass(frozen=True)
class SchemaReport:
    """What :func:`apply_schema` did."""

    applied: tuple[str, ...]
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Skipped layer file name → the extensions it lacked."""
    skipped_objects: tuple[str, ...] = ()
    available_extensions: frozenset[str] = frozenset()


def available_extensions(conn: psycopg.Connection[Any]) -> frozenset[str]:
    """Extensions the server can create."""
    rows = queries("pg").server.available_extensions(conn)
    return frozenset(row[0] for row in rows)


def plan(available: Iterable[str]) -> tuple[list[DdlLayer], list[DdlLayer]]:
    """Split the layers into those the server can take and those it cannot."""
    have = set(available)
    take: list[DdlLayer] = []
    skip: list[DdlLayer] = []
    for layer in ddl_layers("pg"):
        (take if have.issuperset(layer.requires) else skip).append(layer)
    return take, skip


def apply_schema(
    conn: psycopg.Connection[Any], *, require: Iterable[str] = (), warn: bool = True
) -> SchemaReport:
    """Apply every layer the server supports, in one transaction.

    Idempotent: every statement is ``IF NOT EXISTS`` or ``OR REPLACE``.
    Layers needing an unavailable extension are skipped with a
    :class:`SkippedObjectsWarning` listing their objects, unless the extension
    is in ``require``, which raises :class:`MissingExtensionError` and applies
    nothing.
    """
    required = tuple(require)
    unknown = [name for name in required if name not in OPTIONAL_EXTENSIONS]
    if unknown:
        raise SchemaError(
            f"unknown extension(s) in require=: {', '.join(unknown)}; "
            f"known: {', '.join(OPTIONAL_EXTENSIONS)}"
        )
    q = queries("pg").server
    with conn.transaction():
        have = available_extensions(conn)
        missing = tuple(name for name in required if name not in have)
        take, skip = plan(have)
        if missing:
            objects = tuple(
                obj
                for layer in skip
                if set(layer.requires) & set(missing)
                for obj in layer.objects()
            )
            raise MissingExtensionError(missing, objects)
        q.lock_schema(conn)
        for layer in take:
            try:
                layer.run(conn)
            except psycopg.Error as exc:
                raise SchemaError(f"layer {layer.path.name} failed: {exc}") from exc
    skipped = {layer.path.name: tuple(r for r in layer.requires if r not in have) for layer in skip}
    skipped_objects = tuple(obj for layer in skip for obj in layer.objects())
    if skip and warn:
        lacking = sorted({r for reqs in skipped.values() for r in reqs})
        warnings.warn(
            f"extension(s) {', '.join(lacking)} not available on this server: skipped "
            f"{', '.join(skipped_objects)} (from {', '.join(skipped)})",
            SkippedObjectsWarning,
            stacklevel=2,
        )
    return SchemaReport(
        applied=tuple(layer.path.name for layer in take),
        skipped=skipped,
        skipped_objects=skipped_objects,
        available_extensions=have,
    )
