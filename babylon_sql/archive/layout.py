"""What an archive is: its directory, its manifest, its tables, and how to check it.

An export of session ``S`` into ``DIR`` is the directory ``DIR/S/`` holding one
Parquet file per table and ``manifest.json``. Every consumer (purge, restore,
query, upload, list) takes any of:

- the session's directory ``DIR/S`` (or its ``manifest.json``);
- the directory given to the export, ``DIR``, when it holds exactly one
  session archive (with several, the error lists them);

:func:`locate_archive` does that resolution; :func:`verify_archive` checks the
files against the manifest (presence, size, SHA-256, Parquet footer row count).

Which tables a session has is read from the catalog (``session_tables``):
``game_session``, every table whose foreign key leads to it, and the tables
keyed by a session without a foreign key (``trace_log``, ``node_state``, ...).
Rows of tables that are *not* session-scoped but that session rows reference
(``vector_collection``, referenced by ``document_chunk``) are archived too, as
"shared" tables (``shared_tables``): a restore re-creates them when missing
and leaves them alone when present; a purge never deletes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql

from babylon_sql.catalogue import named_rows, queries
from babylon_sql.errors import ArchivalError

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "babylon-sql-session-archive"
#: Version 2 adds ``trace_partition``, ``parquet`` and shared tables; version 1
#: manifests are still read.
MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)

#: ``progress(step, done, total)``: long operations report how far they are
#: (``done`` of ``total`` units: tables for export and purge, rows for restore,
#: bytes for upload); ``step`` names the table or file being worked on.
Progress = Callable[[str, int, int], None]

_SCALAR_TYPES: dict[str, pa.DataType] = {
    "int2": pa.int16(),
    "int4": pa.int32(),
    "int8": pa.int64(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "bool": pa.bool_(),
    "text": pa.string(),
    "varchar": pa.string(),
    "bpchar": pa.string(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
}


def arrow_type(export_type: str) -> pa.DataType:
    """Arrow type of a column exported as ``export_type`` (a pg_type name)."""
    if export_type.startswith("_"):
        return pa.list_(_SCALAR_TYPES[export_type[1:]])
    return _SCALAR_TYPES[export_type]


@dataclass(frozen=True)
class SessionTable:
    """One table of an archive, as the catalog describes it.

    For a shared table, ``session_column`` is the session column of the
    referencing table ``via``, and ``parent_columns`` / ``child_columns`` are
    the foreign key's column lists (already quoted).
    """

    name: str
    session_column: str
    depth: int
    order_by: str
    select_list: str
    columns: tuple[Mapping[str, Any], ...]
    via: str | None = None
    parent_columns: str = ""
    child_columns: str = ""

    @property
    def shared(self) -> bool:
        return self.via is not None

    def schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(
                    col["name"],
                    arrow_type(col["export_type"]),
                    metadata={"pg_type": col["pg_type"]},
                )
                for col in self.columns
            ],
            metadata={"table": self.name, "session_column": self.session_column},
        )

    def compose(self, query: Any) -> sql.Composed:
        """``query`` (a template) with this table's identifiers and lists filled in."""
        # The lists are built by the catalog with quote_ident(); a '%' in a
        # quoted name must not be read as a placeholder.
        return sql.SQL(query.sql).format(
            table=sql.Identifier(self.name),
            column=sql.Identifier(self.session_column),
            columns=sql.SQL(self.select_list.replace("%", "%%")),
            order_by=sql.SQL(self.order_by.replace("%", "%%")),
            child=sql.Identifier(self.via or self.name),
            parent_columns=sql.SQL(self.parent_columns.replace("%", "%%")),
            child_columns=sql.SQL(self.child_columns.replace("%", "%%")),
        )


def session_tables(conn: psycopg.Connection[Any]) -> list[SessionTable]:
    """The session-scoped tables, parents before children."""
    with queries("pg").archive.session_tables_cursor(conn) as cur:
        rows = named_rows(cur)
    return [
        SessionTable(
            name=row["table_name"],
            session_column=row["session_column"],
            depth=row["depth"],
            order_by=row["order_by"],
            select_list=row["select_list"],
            columns=tuple(row["columns"]),
        )
        for row in rows
    ]


def shared_tables(conn: psycopg.Connection[Any], scoped: list[SessionTable]) -> list[SessionTable]:
    """Tables outside the session that its rows reference (one entry per foreign key)."""
    q = queries("pg").archive
    with q.shared_tables_cursor(conn, session_tables=[t.name for t in scoped]) as cur:
        rows = named_rows(cur)
    return [
        SessionTable(
            name=row["table_name"],
            session_column=row["child_session_column"],
            depth=-1,
            order_by=row["order_by"],
            select_list=row["select_list"],
            columns=tuple(row["columns"]),
            via=row["child_table"],
            parent_columns=row["parent_columns"],
            child_columns=row["child_columns"],
        )
        for row in rows
    ]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------
# Manifests and where archives are


@dataclass(frozen=True)
class Archive:
    """One session archive on disk: its directory and its manifest."""

    directory: Path
    manifest: Mapping[str, Any]

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST_NAME

    @property
    def session_id(self) -> uuid.UUID:
        return uuid.UUID(str(self.manifest["session_id"]))

    @property
    def tables(self) -> Mapping[str, Mapping[str, Any]]:
        tables: Mapping[str, Mapping[str, Any]] = self.manifest["tables"]
        return tables

    def file(self, table: str) -> Path:
        return self.directory / str(self.tables[table]["file"])

    @property
    def total_rows(self) -> int:
        return sum(int(e.get("rows", 0)) for e in self.tables.values())

    @property
    def total_bytes(self) -> int:
        return sum(int(e.get("bytes", 0)) for e in self.tables.values())


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, checked for shape; :class:`ArchivalError` otherwise."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ArchivalError(f"cannot read the export manifest {path}: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != MANIFEST_FORMAT
        or not isinstance(data.get("tables"), dict)
    ):
        raise ArchivalError(f"{path} is not a babylon-sql session archive manifest")
    if data.get("version") not in READABLE_VERSIONS:
        raise ArchivalError(
            f"{path} is a version {data.get('version')!r} archive manifest; this babylon-sql "
            f"reads versions {', '.join(map(str, READABLE_VERSIONS))}: upgrade babylon-sql"
        )
    try:
        uuid.UUID(str(data.get("session_id")))
    except ValueError:
        raise ArchivalError(f"{path} names no valid session_id") from None
    for name, entry in data["tables"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ArchivalError(f"{path}: the entry of table {name!r} names no file")
        file = entry["file"]
        if Path(file).name != file or file in ("", ".", ".."):
            raise ArchivalError(f"{path}: table {name!r} names a file outside the archive")
    return data


def archives_under(directory: Path) -> list[Path]:
    """Session archive directories directly under ``directory``, sorted."""
    try:
        children = sorted(p for p in directory.iterdir() if p.is_dir())
    except OSError:
        return []
    return [p for p in children if (p / MANIFEST_NAME).is_file()]


def locate_archive(path: str | os.PathLike[str]) -> Archive:
    """The one session archive ``path`` designates (see the module docstring).

    Raises :class:`ArchivalError` when there is none, or several (listing
    them: pass one of their directories).
    """
    where = Path(path)
    if where.is_file():
        return Archive(where.parent, read_manifest(where))
    if not where.is_dir():
        raise ArchivalError(f"no archive at {where}: no such file or directory")
    if (where / MANIFEST_NAME).is_file():
        return Archive(where, read_manifest(where / MANIFEST_NAME))
    found = archives_under(where)
    if not found:
        raise ArchivalError(
            f"{where} holds no session archive (no {MANIFEST_NAME} in it or in a "
            "sub-directory); export one with export_session_to_parquet"
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise ArchivalError(
            f"{where} holds {len(found)} session archives ({names}); "
            f"name one: {where / found[0].name}"
        )
    return Archive(found[0], read_manifest(found[0] / MANIFEST_NAME))


def list_archives(path: str | os.PathLike[str]) -> list[Archive]:
    """Every session archive at ``path``: itself if it is one, else those under it."""
    where = Path(path)
    if where.is_file() or (where / MANIFEST_NAME).is_file():
        return [locate_archive(where)]
    if not where.is_dir():
        raise ArchivalError(f"no archive at {where}: no such file or directory")
    return [Archive(p, read_manifest(p / MANIFEST_NAME)) for p in archives_under(where)]


def verify_archive(archive: Archive) -> list[str]:
    """Problems of the archive's files, each one line; empty when all is well.

    Every file the manifest lists must exist with its recorded size and
    SHA-256, and its Parquet footer must give the recorded row count (a file
    whose checksum was recomputed after an edit is caught by the count).
    """
    problems = []
    for table, entry in sorted(archive.tables.items()):
        file = archive.file(table)
        if not file.is_file():
            problems.append(f"{table}: file {file} is missing")
            continue
        size = file.stat().st_size
        if "bytes" in entry and size != entry["bytes"]:
            problems.append(
                f"{table}: file {file} has {size} bytes, the manifest says {entry['bytes']} "
                "(truncated or altered)"
            )
            continue
        if sha256_file(file) != entry.get("sha256"):
            problems.append(f"{table}: file {file} does not match its SHA-256")
            continue
        try:
            rows = pq.read_metadata(file).num_rows
        except (OSError, pa.ArrowException) as exc:
            problems.append(f"{table}: file {file} is not readable Parquet: {exc}")
            continue
        if rows != entry.get("rows"):
            problems.append(
                f"{table}: file {file} holds {rows} rows, the manifest says {entry.get('rows')}"
            )
    return problems


def require_verified(archive: Archive, action: str) -> None:
    """Raise :class:`ArchivalError` listing every problem, if there is one."""
    problems = verify_archive(archive)
    if problems:
        raise ArchivalError(
            f"archive of session {archive.session_id} at {archive.directory} cannot be "
            f"trusted, {action}: " + "; ".join(problems)
        )
