"""Load an archived session back into PostgreSQL: the way back from a purge."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg import sql

from babylon_sql.archive.layout import (
    Archive,
    Progress,
    SessionTable,
    require_verified,
    session_tables,
    shared_tables,
)
from babylon_sql.archive.purge import count_rows, delete_rows
from babylon_sql.archive.query import open_archive
from babylon_sql.catalogue import queries
from babylon_sql.errors import ArchivalError, SessionExistsError
from babylon_sql.server.connector import Connector, Pool, as_connector
from babylon_sql.traces.store import partition_name
from babylon_sql.vector.store import index_name

#: Rows read from a Parquet file and sent to COPY at a time.
RESTORE_CHUNK_ROWS = 20_000

_STAGING = "babylon_restore_staging"


def _vector_text(values: list[float]) -> str:
    # repr() of a float is the shortest text that reads back as the same
    # value; pgvector reads it back into the same float4.
    return "[" + ",".join(map(repr, values)) + "]"


def _converters(schema: pa.Schema) -> dict[str, Callable[[Any], Any]]:
    """Python-side conversions for values COPY cannot take as exported."""
    out: dict[str, Callable[[Any], Any]] = {}
    for field in schema:
        pg_type = (field.metadata or {}).get(b"pg_type", b"").decode()
        if pg_type == "vector" or pg_type.startswith("vector("):
            out[field.name] = _vector_text
    return out


def _check_columns(table: SessionTable, file_schema: pa.Schema) -> list[str]:
    known = {str(c["name"]): c for c in table.columns}
    return [
        f"{table.name}: the archive has column {name!r}, the database table does not"
        for name in file_schema.names
        if name not in known
    ]


def _copy_file(
    conn: psycopg.Connection[Any],
    target: str,
    file: Any,
    skip: set[str],
    report: Callable[[int], None],
) -> int:
    """COPY the rows of one Parquet file into ``target``, chunk by chunk; the count."""
    parquet = pq.ParquetFile(file)
    schema = parquet.schema_arrow
    names = [n for n in schema.names if n not in skip]
    converters = _converters(schema)
    statement = sql.SQL(queries("pg").archive.copy_session_rows.sql).format(
        table=sql.Identifier(target), columns=sql.SQL(", ").join(map(sql.Identifier, names))
    )
    rows = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        write = copy.write_row
        for batch in parquet.iter_batches(batch_size=RESTORE_CHUNK_ROWS, columns=names):
            columns: list[Iterable[Any]] = []
            for name in names:
                values = batch.column(name).to_pylist()
                convert = converters.get(name)
                if convert is not None:
                    values = [None if v is None else convert(v) for v in values]
                columns.append(values)
            for row in zip(*columns, strict=True):
                write(row)
            rows += batch.num_rows
            report(batch.num_rows)
    return rows


def _ensure_partition(conn: psycopg.Connection[Any], sid: uuid.UUID) -> None:
    """Give the session its own trace partition, as create_session_partition does, here.

    Through the SECURITY DEFINER function ``babylon_create_trace_partition``
    (``ddl/pg/090_trace.sql``), in the restore's transaction.
    """
    if queries("pg").traces.create_trace_partition(conn, session_id=sid) == "other":
        raise ArchivalError(
            f"relation {partition_name(sid)} exists but is not a partition of trace_log; "
            "rename or drop it, then restore again"
        )


def _drop_partition(conn: psycopg.Connection[Any], sid: uuid.UUID) -> None:
    queries("pg").traces.drop_trace_partition(conn, session_id=sid)


def _ensure_vector_indexes(conn: psycopg.Connection[Any], dimensions: set[int]) -> None:
    """The partial HNSW index of each restored collection's dimension (as PgVectorStore does).

    Through the SECURITY DEFINER function ``babylon_create_hnsw_index``
    (``ddl/pg/100_semantic.sql``), which creates it once, under its lock.
    """
    q = queries("pg").vector
    for dimension in sorted(dimensions):
        if not q.hnsw_index_exists(conn, index_name=index_name(dimension)):
            q.create_hnsw_index(conn, dimension=dimension)


def _restore_shared(
    conn: psycopg.Connection[Any], table: SessionTable, file: Any, report: Callable[[int], None]
) -> int:
    q = queries("pg").archive
    staging = f"{_STAGING}_{table.name}"
    conn.execute(
        sql.SQL(q.create_restore_staging.sql).format(
            staging=sql.Identifier(staging), table=sql.Identifier(table.name)
        )
    )
    skip = {str(c["name"]) for c in table.columns if c.get("generated")}
    rows = _copy_file(conn, staging, file, skip, report)
    names = [n for n in pq.read_schema(file).names if n not in skip]
    conn.execute(
        sql.SQL(q.insert_shared_rows.sql).format(
            table=sql.Identifier(table.name),
            staging=sql.Identifier(staging),
            columns=sql.SQL(", ").join(map(sql.Identifier, names)),
        )
    )
    return rows


def _restore(
    db: Connector, archive: Archive, replace: bool, progress: Progress | None
) -> dict[str, int]:
    require_verified(archive, "nothing restored")
    sid = archive.session_id
    total = archive.total_rows
    done = 0

    def reporter(step: str) -> Callable[[int], None]:
        def report(rows: int) -> None:
            nonlocal done
            done += rows
            if progress:
                progress(step, done, total)

        return report

    q = queries("pg").archive
    restored: dict[str, int] = {}
    with db.transaction() as conn:
        scoped = {t.name: t for t in session_tables(conn)}
        shared = {t.name: t for t in shared_tables(conn, list(scoped.values()))}
        problems = []
        for name in sorted(archive.tables):
            table = scoped.get(name) or shared.get(name)
            if table is None:
                problems.append(f"{name}: no such session table in this database")
            else:
                problems += _check_columns(table, pq.read_schema(archive.file(name)))
        if "game_session" not in archive.tables:
            problems.append("game_session: the archive has no session row")
        if problems:
            raise ArchivalError(
                f"archive of session {sid} does not fit this database's schema, nothing "
                "restored (apply the schema the archive was made with): " + "; ".join(problems)
            )
        if q.session_exists(conn, session_id=sid):
            if not replace:
                raise SessionExistsError(
                    f"session {sid} is still in the database; nothing restored. Purge it "
                    "first, or restore with replace=True (--replace) to overwrite it"
                )
            db.lock_session(conn, sid, "exclusive")
            if not archive.manifest.get("trace_partition"):
                _drop_partition(conn, sid)
            delete_rows(conn, list(scoped.values()), sid)
        for name in sorted(n for n in archive.tables if n in shared):
            restored[name] = _restore_shared(conn, shared[name], archive.file(name), reporter(name))
        order = sorted(
            (n for n in archive.tables if n in scoped), key=lambda n: (scoped[n].depth, n)
        )
        for name in order:
            if name == "trace_log" and archive.manifest.get("trace_partition"):
                _ensure_partition(conn, sid)
            table = scoped[name]
            skip = {str(c["name"]) for c in table.columns if c.get("generated")}
            restored[name] = _copy_file(conn, name, archive.file(name), skip, reporter(name))
        if archive.manifest.get("trace_partition") and "trace_log" not in archive.tables:
            _ensure_partition(conn, sid)
        if "vector_collection" in restored:
            dims = pq.read_table(archive.file("vector_collection"), columns=["dimension"])
            _ensure_vector_indexes(conn, {int(d) for d in dims.column(0).to_pylist()})
        wrong = [
            f"{name}: {have} rows after the restore, {archive.tables[name]['rows']} archived"
            for name in order
            if (have := count_rows(conn, scoped[name], sid)) != archive.tables[name]["rows"]
        ]
        if wrong:
            raise ArchivalError(
                f"restore of session {sid} does not match its archive, rolled back: "
                + "; ".join(wrong)
            )
    return restored


def restore_session(
    pool: Connector | Pool,
    archive_dir: str | os.PathLike[str],
    *,
    replace: bool = False,
    progress: Progress | None = None,
    client: Any = None,
    endpoint_url: str | None = None,
) -> dict[str, int]:
    """Load an archived session back into PostgreSQL, in one transaction.

    ``archive_dir`` is anything
    :func:`~babylon_sql.archive.layout.locate_archive` takes (the export's
    directory when it holds one session, the session's directory, its
    manifest), or an ``s3://`` prefix of the same shapes (fetched with boto3
    first; ``client`` / ``endpoint_url`` as for uploads).

    Before anything is written: every file is checked against the manifest
    (size, SHA-256, Parquet row count) and every archived table and column
    must exist in this database; a session that still exists is refused
    with :class:`SessionExistsError` unless ``replace=True``, which deletes
    its rows first (in the same transaction). Then, parents first: the
    shared rows the database lacks (``vector_collection``), the session row,
    and every table's rows, sent by COPY in chunks of
    :data:`RESTORE_CHUNK_ROWS` read from the Parquet files (memory stays
    bounded). The session's trace partition is re-created when it had one;
    a restored vector collection gets its dimension's HNSW index. Finally
    each table's row count is checked against the manifest. Any failure
    rolls the whole restore back (:class:`ArchivalError` names it).

    Returns table -> rows restored.
    """
    db = as_connector(pool)
    with open_archive(archive_dir, client=client, endpoint_url=endpoint_url) as archive:
        try:
            return _restore(db, archive, replace, progress)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise ArchivalError(
                f"restore of session {archive.session_id} failed, nothing restored: {message}"
            ) from exc
