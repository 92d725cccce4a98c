"""``babylon-sql schema check``: compare a live database with ``ddl/``.

The layers of ``ddl/pg/`` are applied to a scratch database on the same
server (``CREATE DATABASE``, dropped afterwards), both databases are read
through one catalog query (``queries/pg/server/catalog_objects.sql``), and
every table, column, index, constraint, view, function, trigger and comment
that is missing, extra or different is reported.

The scratch database takes the core layers and the optional layers (PostGIS,
pgvector) whose extension the live database has, so a database on a server
without PostGIS is not reported as missing ``hex_cell``. Objects the
toolkit creates at run time (a session's trace partition
``trace_log_s_<hex>``, another dimension's ``document_chunk_hnsw_<N>``) are
not reported as extra. The role needs to create databases and, for the
optional layers, the extensions (a superuser, or the owner with CREATEDB on
a server whose extensions are trusted).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg.conninfo import make_conninfo

from babylon_sql.catalogue import ddl_layers, queries
from babylon_sql.server.admin import create_database, drop_database

#: Objects created at run time, never reported as extra: a session's trace
#: partition (its index copies have names cut to 63 bytes) and the HNSW
#: index of any dimension.
RUNTIME_OBJECTS = re.compile(
    r"^(trace_log_s_[0-9a-f]{8,32}(_[a-z_]+)?|document_chunk_hnsw_\d+)(\.|$)"
)

State = Literal["missing", "extra", "different"]


@dataclass(frozen=True)
class Drift:
    """One difference between the database and ``ddl/``."""

    state: State
    kind: str
    name: str
    expected: str | None
    """What ``ddl/`` defines (None when extra)."""
    actual: str | None
    """What the database has (None when missing)."""

    def __str__(self) -> str:
        if self.state == "missing":
            return f"missing {self.kind} {self.name}: {_short(self.expected)}"
        if self.state == "extra":
            return f"extra {self.kind} {self.name}: {_short(self.actual)}"
        return (
            f"different {self.kind} {self.name}: ddl/ has {_short(self.expected)}; "
            f"the database has {_short(self.actual)}"
        )


def _short(text: str | None, limit: int = 160) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check_schema` found."""

    drift: tuple[Drift, ...]
    compared: int
    """Number of objects ``ddl/`` defines that were compared."""
    layers: tuple[str, ...]
    """The layer files the database was compared with."""

    @property
    def ok(self) -> bool:
        return not self.drift


Catalog = dict[tuple[str, str], str]


def catalog(conn: psycopg.Connection[Any]) -> Catalog:
    """``(kind, name) → definition`` of every compared object of the database."""
    return {(k, n): d for k, n, d in queries("pg").server.catalog_objects(conn)}


def compare(expected: Catalog, actual: Catalog) -> tuple[Drift, ...]:
    """The differences between a catalog built from ``ddl/`` and a live one."""
    out = []
    for key in sorted(expected.keys() | actual.keys()):
        kind, name = key
        want, have = expected.get(key), actual.get(key)
        if have is None:
            out.append(Drift("missing", kind, name, want, None))
        elif want is None:
            if not RUNTIME_OBJECTS.match(name):
                out.append(Drift("extra", kind, name, None, have))
        elif want != have:
            out.append(Drift("different", kind, name, want, have))
    return tuple(out)


def check_schema(dsn: str) -> CheckReport:
    """Compare the database at ``dsn`` with ``ddl/`` through a scratch database."""
    from babylon_sql.server.schema import run_layer

    with psycopg.connect(dsn) as conn:
        actual = catalog(conn)
        installed = {row[0] for row in queries("pg").server.extension_privileges(conn) if row[1]}
    take = [layer for layer in ddl_layers("pg") if installed.issuperset(layer.requires)]
    scratch = f"babylon_check_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        create_database(conn, scratch)
    try:
        with psycopg.connect(make_conninfo(dsn, dbname=scratch)) as conn, conn.transaction():
            for layer in take:
                run_layer(conn, layer)
            expected = catalog(conn)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            drop_database(conn, scratch)
    return CheckReport(
        compare(expected, actual), len(expected), tuple(layer.path.name for layer in take)
    )
