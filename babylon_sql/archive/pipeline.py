"""The archival pipeline: export a session to Parquet, upload, purge, query.

1. :func:`export_session_to_parquet` writes every row of one session, one
   Parquet file per session-scoped table, plus a ``manifest.json`` with each
   table's row count and each file's SHA-256.
2. :func:`upload_to_r2` (alias :func:`upload_to_object_store`) copies the files
   to an S3-compatible bucket (Cloudflare R2, AWS S3, MinIO, ...) and checks
   each object.
3. :func:`purge_session` deletes the session from PostgreSQL, but only when the
   manifest still matches both the files and the database.
4. :func:`query_archived_session` runs SQL on the archived files with DuckDB.

The session-scoped tables are found in the catalog (``session_tables``):
``game_session`` itself, every table whose foreign key leads to
``game_session.session_id`` (directly, as ``session_id`` or ``game_id``, or
through another session-scoped table, as ``node_state`` does through
``graph_snapshot``), and ``trace_log``. A table added to the schema later is
archived and purged without a code change.

Parquet types: ``uuid``, ``jsonb``/``json`` (JSON text: parse it when reading),
``numeric`` and any other type without a Parquet counterpart become strings;
``timestamptz`` becomes ``timestamp[us, tz=UTC]``; ``double precision[]``
becomes ``list<double>``; pgvector's ``vector`` becomes ``list<float>``.
Every field carries its PostgreSQL type in the field metadata (``pg_type``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql

from babylon_sql.catalogue import queries
from babylon_sql.errors import ArchivalError, SessionNotFoundError, ValidationError
from babylon_sql.server.connector import Connector, Pool, as_connector
from babylon_sql.traces.store import drop_session_partition, session_uuid

#: Rows fetched from the server-side cursor and written as one Parquet row group.
EXPORT_CHUNK_ROWS = 50_000

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "babylon-sql-session-archive"
MANIFEST_VERSION = 1

#: Files up to this size are uploaded in one PUT (verified by Content-MD5 and
#: ETag); larger ones in parts of this size (ETag = MD5 of the part MD5s).
MULTIPART_THRESHOLD = 64 * 1024 * 1024

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


def _arrow_type(export_type: str) -> pa.DataType:
    """Arrow type of a column exported as ``export_type`` (a pg_type name)."""
    if export_type.startswith("_"):
        return pa.list_(_SCALAR_TYPES[export_type[1:]])
    return _SCALAR_TYPES[export_type]


@dataclass(frozen=True)
class SessionTable:
    """One session-scoped table, as the catalog describes it."""

    name: str
    session_column: str
    depth: int
    order_by: str
    select_list: str
    columns: tuple[Mapping[str, str], ...]

    def schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(
                    col["name"],
                    _arrow_type(col["export_type"]),
                    metadata={"pg_type": col["pg_type"]},
                )
                for col in self.columns
            ],
            metadata={"table": self.name, "session_column": self.session_column},
        )

    def compose(self, query: Any) -> sql.Composed:
        """``query`` (a template) with this table's identifiers and lists filled in."""
        return sql.SQL(query.sql).format(
            table=sql.Identifier(self.name),
            column=sql.Identifier(self.session_column),
            # Built by the catalog with quote_ident(); a '%' in a quoted name
            # must not be read as a placeholder.
            columns=sql.SQL(self.select_list.replace("%", "%%")),
            order_by=sql.SQL(self.order_by.replace("%", "%%")),
        )


def session_tables(conn: psycopg.Connection[Any]) -> list[SessionTable]:
    """The session-scoped tables, parents before children."""
    return [
        SessionTable(
            name=row[0],
            session_column=row[1],
            depth=row[2],
            order_by=row[3],
            select_list=row[4],
            columns=tuple(row[5]),
        )
        for row in queries("pg").archive.session_tables(conn)
    ]


def _require_session(conn: psycopg.Connection[Any], session_id: uuid.UUID) -> None:
    if not queries("pg").archive.session_exists(conn, session_id=session_id):
        raise SessionNotFoundError(f"no game_session row has session_id {session_id}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------
# Export


def _fetch(cur: Any, table: SessionTable, session_id: uuid.UUID) -> list[Any]:
    try:
        return list(cur.fetchmany(EXPORT_CHUNK_ROWS))
    except psycopg.DataError as exc:  # e.g. a timestamp of 'infinity'
        raise ArchivalError(
            f"table {table.name}: a row of session {session_id} cannot be read for export: {exc}"
        ) from exc


def _export_table(
    conn: psycopg.Connection[Any], table: SessionTable, session_id: uuid.UUID, path: Path
) -> int:
    """Stream one table's rows of the session into a Parquet file; returns the count."""
    schema = table.schema()
    types = [field.type for field in schema]
    statement = table.compose(queries("pg").archive.export_session_rows)
    rows_written = 0
    with (
        pq.ParquetWriter(path, schema, compression="zstd") as writer,
        conn.cursor(name=f"babylon_export_{table.name}") as cur,
    ):
        cur.itersize = EXPORT_CHUNK_ROWS
        cur.execute(statement, {"session_id": session_id})
        while rows := _fetch(cur, table, session_id):
            columns = list(zip(*rows, strict=True))
            try:
                arrays = [pa.array(col, type=t) for col, t in zip(columns, types, strict=True)]
            except (pa.ArrowException, TypeError, ValueError) as exc:
                raise ArchivalError(
                    f"table {table.name}: rows of session {session_id} cannot be written "
                    f"to Parquet: {exc}"
                ) from exc
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            rows_written += len(rows)
    return rows_written


def export_session_to_parquet(
    pool: Connector | Pool, session_id: uuid.UUID, output_dir: str | os.PathLike[str]
) -> list[str]:
    """Export every row of one session to ``output_dir/<session_id>/<table>.parquet``.

    One file per session-scoped table (an empty table still gets a file with
    its schema), rows in primary-key order, streamed through a server-side
    cursor in chunks of :data:`EXPORT_CHUNK_ROWS` (one Parquet row group
    each), so memory stays flat whatever the table size. All tables are read
    in one ``REPEATABLE READ READ ONLY`` transaction: the files are one
    consistent snapshot. ``manifest.json`` (written last) records the
    session, each table's row count, file name and SHA-256; ``purge_session``
    checks it. Files are written under a ``.part`` name and renamed when all
    succeeded; on failure they are removed. A second export of the same
    session replaces the files.

    Returns the paths written: the Parquet files, then the manifest.
    Raises :class:`SessionNotFoundError` for an unknown session.
    """
    sid = session_uuid(session_id)
    target = Path(output_dir) / str(sid)
    q = queries("pg").archive
    written: list[tuple[Path, Path]] = []  # (.part path, final path)
    tables: dict[str, dict[str, Any]] = {}
    try:
        db = as_connector(pool)
        with db.transaction() as conn:
            q.set_export_snapshot(conn)
            _require_session(conn, sid)
            target.mkdir(parents=True, exist_ok=True)
            for table in session_tables(conn):
                final = target / f"{table.name}.parquet"
                part = final.with_name(final.name + ".part")
                written.append((part, final))
                count = _export_table(conn, table, sid, part)
                tables[table.name] = {
                    "file": final.name,
                    "rows": count,
                    "session_column": table.session_column,
                }
        # An older manifest must not vouch for files half replaced.
        (target / MANIFEST_NAME).unlink(missing_ok=True)
        for part, final in written:
            tables[final.stem]["bytes"] = part.stat().st_size
            tables[final.stem]["sha256"] = _sha256(part)
            os.replace(part, final)
    except BaseException:
        for part, _final in written:
            part.unlink(missing_ok=True)
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "session_id": str(sid),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "tables": tables,
    }
    manifest_path = target / MANIFEST_NAME
    part_manifest = manifest_path.with_name(MANIFEST_NAME + ".part")
    part_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    os.replace(part_manifest, manifest_path)
    return [str(final) for _part, final in written] + [str(manifest_path)]


# --------------------------------------------------------------------------
# Upload


def _boto3() -> Any:
    try:
        import boto3
    except ImportError as exc:
        raise ArchivalError(
            "uploading needs boto3, which is not installed; "
            "install the 's3' extra: pip install 'babylon-sql[s3]'"
        ) from exc
    return boto3


def _object_key(prefix: str, path: Path) -> str:
    """``<prefix>/<directory>/<file>``: the session directory keeps sessions apart."""
    name = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    prefix = prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


def _file_digests(path: Path, part_size: int) -> tuple[str, str, str]:
    """SHA-256 hex, MD5 hex of the whole file, and the S3 ETag it gets.

    The ETag of a single PUT is the MD5; of a multipart upload with parts of
    ``part_size`` it is the MD5 of the concatenated part MD5s, ``-<parts>``.
    """
    sha = hashlib.sha256()
    whole = hashlib.md5(usedforsecurity=False)
    parts: list[bytes] = []
    size = 0
    with path.open("rb") as f:
        while block := f.read(part_size):
            sha.update(block)
            whole.update(block)
            parts.append(hashlib.md5(block, usedforsecurity=False).digest())
            size += len(block)
    if size > part_size and len(parts) > 1:
        composite = hashlib.md5(b"".join(parts), usedforsecurity=False).hexdigest()
        etag = f"{composite}-{len(parts)}"
    else:
        etag = whole.hexdigest()
    return sha.hexdigest(), whole.hexdigest(), etag


def upload_to_r2(
    parquet_paths: Iterable[str | os.PathLike[str]],
    bucket: str,
    prefix: str = "",
    *,
    client: Any = None,
    endpoint_url: str | None = None,
    multipart_threshold: int = MULTIPART_THRESHOLD,
) -> list[str]:
    """Upload files to an S3-compatible bucket and verify every object.

    ``client`` is a boto3 S3 client; without one, a client is made for
    ``endpoint_url`` (R2: ``https://<account>.r2.cloudflarestorage.com``)
    with credentials from the usual AWS variables or files. The object key
    of ``.../<session_id>/<table>.parquet`` is ``<prefix>/<session_id>/<table>.parquet``.

    Verification: a file up to ``multipart_threshold`` bytes goes in one PUT
    with a Content-MD5 header (the server refuses a body that arrived
    altered); a larger one in parts of that size. Each object is then read
    back with HEAD: its size must equal the file's and its ETag the MD5 (or
    the multipart ETag computed locally). The file's SHA-256 travels as
    object metadata ``sha256``. Any failure raises :class:`ArchivalError`
    naming the file. Returns the object keys, in the order of the paths.
    """
    paths = [Path(p) for p in parquet_paths]
    if not isinstance(bucket, str) or len(bucket) < 3:
        raise ValidationError(f"bucket must be a bucket name (3+ characters), got {bucket!r}")
    if multipart_threshold < 5 * 1024 * 1024:
        raise ValidationError(
            "multipart_threshold must be at least 5 MiB (the S3 minimum part size)"
        )
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ArchivalError(f"cannot upload, no such file(s): {', '.join(missing)}")
    boto3 = _boto3()
    from boto3.exceptions import Boto3Error
    from boto3.s3.transfer import TransferConfig
    from botocore.exceptions import BotoCoreError, ClientError

    if client is None:
        client = boto3.client("s3", endpoint_url=endpoint_url)
    config = TransferConfig(
        multipart_threshold=multipart_threshold, multipart_chunksize=multipart_threshold
    )
    keys: list[str] = []
    for path in paths:
        key = _object_key(prefix, path)
        sha256, md5, etag = _file_digests(path, multipart_threshold)
        size = path.stat().st_size
        metadata = {"sha256": sha256}
        try:
            if size <= multipart_threshold:
                with path.open("rb") as body:
                    client.put_object(
                        Bucket=bucket,
                        Key=key,
                        Body=body,
                        ContentMD5=base64.b64encode(bytes.fromhex(md5)).decode(),
                        Metadata=metadata,
                    )
            else:
                client.upload_file(
                    str(path), bucket, key, ExtraArgs={"Metadata": metadata}, Config=config
                )
            head = client.head_object(Bucket=bucket, Key=key)
        except (BotoCoreError, ClientError, Boto3Error, OSError) as exc:
            raise ArchivalError(f"upload of {path} to s3://{bucket}/{key} failed: {exc}") from exc
        got_size = head.get("ContentLength")
        got_etag = str(head.get("ETag", "")).strip('"')
        if got_size != size:
            raise ArchivalError(
                f"upload of {path} to s3://{bucket}/{key}: the object has {got_size} bytes, "
                f"the file {size}"
            )
        if got_etag != etag:
            raise ArchivalError(
                f"upload of {path} to s3://{bucket}/{key}: ETag {got_etag!r} does not match "
                f"the file's {etag!r}"
            )
        keys.append(key)
    return keys


#: The same function under a provider-neutral name.
upload_to_object_store = upload_to_r2


# --------------------------------------------------------------------------
# Purge


def _load_manifest(manifest: str | os.PathLike[str] | None) -> tuple[dict[str, Any], Path]:
    if manifest is None:
        raise ArchivalError(
            "purge_session needs the manifest of an export of the session: "
            "run export_session_to_parquet first and pass manifest=<its manifest.json>"
        )
    path = Path(manifest)
    if path.is_dir():
        path = path / MANIFEST_NAME
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
    return data, path


def _verify_files(manifest: Mapping[str, Any], manifest_path: Path) -> list[str]:
    problems = []
    for table, entry in manifest["tables"].items():
        file = manifest_path.parent / str(entry.get("file", ""))
        if not file.is_file():
            problems.append(f"{table}: file {file} is missing")
        elif _sha256(file) != entry.get("sha256"):
            problems.append(f"{table}: file {file} does not match its SHA-256")
    return problems


def _count_rows(conn: psycopg.Connection[Any], table: SessionTable, sid: uuid.UUID) -> int:
    query = table.compose(queries("pg").archive.count_session_rows)
    row = conn.execute(query, {"session_id": sid}).fetchone()
    return int(row[0]) if row else 0


def purge_session(
    pool: Connector | Pool,
    session_id: uuid.UUID,
    *,
    manifest: str | os.PathLike[str] | None = None,
) -> dict[str, int]:
    """Delete every row of a session, after checking that its export is complete.

    ``manifest`` is the ``manifest.json`` written by
    :func:`export_session_to_parquet` (or its directory); without one,
    nothing is deleted (:class:`ArchivalError`). Checks, all before deleting
    anything: the manifest names this session; every file it lists exists
    with its recorded SHA-256; and, with the session row locked FOR UPDATE
    (writers wait), every session-scoped table holds exactly the number of
    rows the manifest recorded (a table the manifest lacks must hold none).
    Any difference raises :class:`ArchivalError` listing them, and nothing
    is deleted.

    Deletion is one transaction: each table's rows explicitly (trace_log
    included), children first, ``game_session`` last. Then, in a second
    transaction, the session's trace partition (empty by now) is dropped:
    dropping a partition locks all of ``trace_log`` (ACCESS EXCLUSIVE), and
    taking that lock only after the row deletions could deadlock with a
    concurrent ``create_session_partition``; a lock taken alone cannot. Should
    that second step fail, only an empty partition is left, which
    :func:`~babylon_sql.tracing.drop_session_partition` removes. Returns
    table -> rows deleted. Other sessions are untouched. Raises
    :class:`SessionNotFoundError` if the session does not exist.
    """
    sid = session_uuid(session_id)
    data, manifest_path = _load_manifest(manifest)
    if data.get("session_id") != str(sid):
        raise ArchivalError(
            f"{manifest_path} is the manifest of session {data.get('session_id')}, not {sid}"
        )
    problems = _verify_files(data, manifest_path)
    if problems:
        raise ArchivalError(
            f"export of session {sid} cannot be trusted, nothing deleted: " + "; ".join(problems)
        )
    recorded: dict[str, Any] = data["tables"]
    q = queries("pg").archive
    deleted: dict[str, int] = {}
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, sid, "exclusive")
        tables = session_tables(conn)
        counts = {t.name: _count_rows(conn, t, sid) for t in tables}
        mismatches = []
        for name, count in counts.items():
            entry = recorded.get(name)
            expected = entry.get("rows") if isinstance(entry, Mapping) else None
            if expected is None and count:
                mismatches.append(f"{name}: {count} rows in the database, none exported")
            elif expected is not None and expected != count:
                mismatches.append(f"{name}: {count} rows in the database, {expected} exported")
        if mismatches:
            raise ArchivalError(
                f"export of session {sid} does not match the database, nothing deleted "
                f"(export again): " + "; ".join(mismatches)
            )
        for table in sorted(tables, key=lambda t: (-t.depth, t.name)):
            cur = conn.execute(table.compose(q.delete_session_rows), {"session_id": sid})
            deleted[table.name] = cur.rowcount
        if deleted != counts:
            raise ArchivalError(
                f"purge of session {sid} deleted {deleted}, expected {counts}; rolled back"
            )
    drop_session_partition(pool, sid)
    return deleted


# --------------------------------------------------------------------------
# Query


def query_archived_session(
    parquet_path: str | os.PathLike[str],
    query: str,
    params: Sequence[Any] | Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Run a DuckDB query on archived Parquet files; rows as dicts.

    ``parquet_path`` is either one Parquet file, which the query calls
    ``archive`` (``SELECT count(*) FROM archive``), or an export directory,
    whose files are views named by table (``SELECT * FROM node_state JOIN
    graph_snapshot USING (tick)``). The query text is the caller's own; it
    runs in a private in-memory DuckDB database. ``params`` fill ``?`` or
    ``$name`` placeholders. JSON columns are strings: DuckDB's ``->>`` and
    ``json_extract`` read them. A failing query raises :class:`ArchivalError`
    with DuckDB's message.
    """
    import duckdb

    path = Path(parquet_path)
    if path.is_dir():
        files = sorted(path.glob("*.parquet"))
        if not files:
            raise ArchivalError(f"{path} holds no Parquet files")
        views = [(f.stem, f) for f in files]
    elif path.is_file():
        views = [("archive", path)]
    else:
        raise ArchivalError(f"no archive at {path}")
    con = duckdb.connect(":memory:")
    try:
        for name, file in views:
            con.read_parquet(str(file)).create_view(name)
        cur = con.execute(query, params) if params is not None else con.execute(query)
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    except duckdb.Error as exc:
        raise ArchivalError(f"query on archive {path} failed: {exc}") from exc
    finally:
        con.close()
