"""Export one session to Parquet: ``<output_dir>/<session_id>/<table>.parquet`` + manifest.

Parquet types: ``uuid``, ``jsonb``/``json`` (JSON text: parse it when
reading), ``numeric``, ``bytea`` (``\\x`` hex text) and any other type without
a Parquet counterpart become strings; ``timestamptz`` becomes
``timestamp[us, tz=UTC]``; ``double precision[]`` becomes ``list<double>``;
pgvector's ``vector`` becomes ``list<float>``. Every field carries its
PostgreSQL type in the field metadata (``pg_type``), which is what a restore
reads to turn the values back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

from babylon_sql.archive.layout import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    MANIFEST_VERSION,
    Progress,
    SessionTable,
    read_manifest,
    session_tables,
    sha256_file,
    shared_tables,
)
from babylon_sql.catalogue import queries
from babylon_sql.errors import ArchivalError, SessionNotFoundError
from babylon_sql.server.connector import Connector, Pool, as_connector
from babylon_sql.traces.store import partition_name, session_uuid

#: Rows fetched from the server-side cursor per round trip.
EXPORT_CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class ParquetSettings:
    """How the Parquet files are written (recorded in the manifest).

    Defaults chosen with ``scripts/bench_archive.py`` (its settings study):
    zstd at level 1 with dictionary encoding; floating-point columns split
    into byte streams (``BYTE_STREAM_SPLIT``), which lets zstd find the
    shared exponent and high mantissa bytes of slowly varying values. On the
    world generator's journals that is smaller than zstd 9 without the split
    and six times faster than zstd 9 with it (higher levels gain a few per
    cent at many times the time). Row groups of up to ``row_group_rows``
    rows, each with min/max statistics so DuckDB skips the groups a filter
    excludes. Rows are written in primary-key order.
    """

    compression: str = "zstd"
    compression_level: int | None = 1
    use_dictionary: bool = True
    byte_stream_split: bool = True
    row_group_rows: int = 250_000

    def writer_options(self, schema: pa.Schema) -> dict[str, Any]:
        floats = [
            f.name
            for f in schema
            if pa.types.is_floating(f.type)
            or (pa.types.is_list(f.type) and pa.types.is_floating(f.type.value_type))
        ]
        options: dict[str, Any] = {
            "compression": self.compression,
            "compression_level": self.compression_level,
            "write_statistics": True,
        }
        if self.byte_stream_split and floats:
            # Dictionary encoding takes precedence over a column's encoding:
            # the float columns go without it, the others keep it.
            others = [f.name for f in schema if f.name not in floats]
            options["use_dictionary"] = others if self.use_dictionary else False
            options["use_byte_stream_split"] = floats
        else:
            options["use_dictionary"] = self.use_dictionary
        return options


DEFAULT_SETTINGS = ParquetSettings()


def _fetch(cur: Any, table: SessionTable, session_id: uuid.UUID) -> list[Any]:
    try:
        return list(cur.fetchmany(EXPORT_CHUNK_ROWS))
    except psycopg.DataError as exc:  # e.g. a timestamp of 'infinity'
        raise ArchivalError(
            f"table {table.name}: a row of session {session_id} cannot be read for export: {exc}"
        ) from exc


def _arrow_batch(
    rows: list[Any], schema: pa.Schema, table: SessionTable, sid: uuid.UUID
) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    try:
        arrays = [
            pa.array(col, type=field.type) for col, field in zip(columns, schema, strict=True)
        ]
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise ArchivalError(
            f"table {table.name}: rows of session {sid} cannot be written to Parquet: {exc}"
        ) from exc
    return pa.Table.from_arrays(arrays, schema=schema)


def _write_rows(
    conn: psycopg.Connection[Any],
    table: SessionTable,
    sid: uuid.UUID,
    path: Path,
    settings: ParquetSettings,
) -> int:
    """Stream one table's rows of the session into a Parquet file; returns the count."""
    schema = table.schema()
    statement = table.compose(queries("pg").archive.export_session_rows)
    rows_written = 0
    pending: list[pa.Table] = []
    pending_rows = 0
    with (
        pq.ParquetWriter(path, schema, **settings.writer_options(schema)) as writer,
        conn.cursor(name=f"babylon_export_{table.name}") as cur,
    ):
        cur.itersize = EXPORT_CHUNK_ROWS
        try:
            cur.execute(statement, {"session_id": sid})
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ArchivalError(
                f"table {table.name}: cannot read the rows of session {sid}: {exc}".strip()
            ) from exc
        while rows := _fetch(cur, table, sid):
            pending.append(_arrow_batch(rows, schema, table, sid))
            pending_rows += len(rows)
            rows_written += len(rows)
            if pending_rows >= settings.row_group_rows:
                writer.write_table(pa.concat_tables(pending), row_group_size=pending_rows)
                pending, pending_rows = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=pending_rows)
    return rows_written


def _write_shared(
    conn: psycopg.Connection[Any],
    parts: list[SessionTable],
    sid: uuid.UUID,
    path: Path,
    settings: ParquetSettings,
) -> int:
    """The rows of one shared table referenced through any of ``parts`` (its keys)."""
    schema = parts[0].schema()
    seen: dict[tuple[Any, ...], None] = {}
    q = queries("pg").archive
    for part in parts:
        for row in conn.execute(part.compose(q.export_shared_rows), {"session_id": sid}):
            seen.setdefault(tuple(row))
    rows = list(seen)
    with pq.ParquetWriter(path, schema, **settings.writer_options(schema)) as writer:
        writer.write_table(_arrow_batch(rows, schema, parts[0], sid))
    return len(rows)


def _created_dirs(target: Path) -> list[Path]:
    """The directories ``target.mkdir(parents=True)`` would create, deepest first."""
    missing = []
    path = target
    while not path.exists():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    return missing


def _check_destination(output_dir: Path, target: Path, sid: uuid.UUID) -> None:
    """Refuse a directory that is (or holds) the archive of another session."""
    for manifest in (output_dir / MANIFEST_NAME, target / MANIFEST_NAME):
        if manifest.is_file():
            try:
                other = read_manifest(manifest).get("session_id")
            except ArchivalError:
                other = None
            if other != str(sid):
                what = f"session {other}" if other else "something else"
                raise ArchivalError(
                    f"{manifest.parent} already holds an archive of {what}; export session "
                    f"{sid} into the directory above it, or into another directory"
                )


def _prepare_directory(target: Path) -> list[Path]:
    """Create ``target`` and prove it writable; returns the directories created."""
    created = _created_dirs(target)
    probe = target / f".babylon-write-probe-{os.getpid()}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        _remove_dirs(created)
        raise ArchivalError(
            f"cannot write the archive into {target}: {exc.strerror or exc}; "
            "choose a directory you can write to"
        ) from exc
    return created


def _remove_dirs(created: list[Path]) -> None:
    for path in created:  # deepest first; only if empty
        try:
            path.rmdir()
        except OSError:
            break


def export_session_to_parquet(
    pool: Connector | Pool,
    session_id: uuid.UUID,
    output_dir: str | os.PathLike[str],
    *,
    settings: ParquetSettings = DEFAULT_SETTINGS,
    progress: Progress | None = None,
) -> list[str]:
    """Export every row of one session to ``output_dir/<session_id>/<table>.parquet``.

    One file per session-scoped table (an empty table still gets a file with
    its schema), plus one per shared table its rows reference
    (``vector_collection``), rows in primary-key order, streamed through a
    server-side cursor so memory stays bounded by a row group. All tables are
    read in one ``REPEATABLE READ READ ONLY`` transaction: the files are one
    consistent snapshot. ``manifest.json`` (written last) records the
    session, whether it had its own trace partition, each table's row count,
    file name, size and SHA-256, and the Parquet settings.

    ``output_dir`` may also be the session's own archive directory (a
    re-export replaces it). Refused with :class:`ArchivalError`, before any
    file is written: a directory that holds the archive of another session,
    a directory that cannot be written. Files are written under a ``.part``
    name and renamed once all succeeded; on any failure they are removed
    (with the directories the export created), and an earlier archive of the
    session stays as it was.

    Returns the paths written: the Parquet files, then the manifest.
    Raises :class:`SessionNotFoundError` for an unknown session.
    """
    sid = session_uuid(session_id)
    out = Path(output_dir)
    q = queries("pg").archive
    inside = (out / MANIFEST_NAME).is_file() and out.name == str(sid)
    target = out if inside else out / str(sid)
    written: list[tuple[Path, Path]] = []  # (.part path, final path)
    created: list[Path] = []
    tables: dict[str, dict[str, Any]] = {}
    db = as_connector(pool)
    try:
        with db.transaction() as conn:
            q.set_export_snapshot(conn)
            if not q.session_exists(conn, session_id=sid):
                raise SessionNotFoundError(
                    f"no game_session row has session_id {sid}: nothing to export"
                )
            _check_destination(out, target, sid)
            created = _prepare_directory(target)
            had_partition = (
                queries("pg").traces.trace_partition_kind(conn, partition_name=partition_name(sid))
                == "partition"
            )
            scoped = session_tables(conn)
            shared: dict[str, list[SessionTable]] = {}
            for part in shared_tables(conn, scoped):
                shared.setdefault(part.name, []).append(part)
            total = len(scoped) + len(shared)
            for name, parts in shared.items():
                final = target / f"{name}.parquet"
                part_path = final.with_name(final.name + ".part")
                written.append((part_path, final))
                count = _write_shared(conn, parts, sid, part_path, settings)
                tables[name] = {
                    "file": final.name,
                    "rows": count,
                    "shared": True,
                    "referenced_by": sorted({p.via or "" for p in parts}),
                }
                if progress:
                    progress(name, len(tables), total)
            for table in scoped:
                final = target / f"{table.name}.parquet"
                part_path = final.with_name(final.name + ".part")
                written.append((part_path, final))
                count = _write_rows(conn, table, sid, part_path, settings)
                tables[table.name] = {
                    "file": final.name,
                    "rows": count,
                    "session_column": table.session_column,
                }
                if progress:
                    progress(table.name, len(tables), total)
        # An older manifest must not vouch for files half replaced.
        (target / MANIFEST_NAME).unlink(missing_ok=True)
        for part_path, final in written:
            tables[final.stem]["bytes"] = part_path.stat().st_size
            tables[final.stem]["sha256"] = sha256_file(part_path)
            os.replace(part_path, final)
        manifest = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "session_id": str(sid),
            "exported_at": dt.datetime.now(dt.UTC).isoformat(),
            "trace_partition": bool(had_partition),
            "parquet": asdict(settings),
            "tables": tables,
        }
        manifest_path = target / MANIFEST_NAME
        part_manifest = manifest_path.with_name(MANIFEST_NAME + ".part")
        part_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(part_manifest, manifest_path)
    except BaseException:
        for leftover in [p for p, _final in written] + [target / (MANIFEST_NAME + ".part")]:
            # target may not even be a directory: then there is nothing to remove
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        _remove_dirs(created)
        raise
    return [str(final) for _part, final in written] + [str(manifest_path)]
