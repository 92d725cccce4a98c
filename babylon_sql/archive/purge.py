"""Delete a session from PostgreSQL, only once its archive is proven complete."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import Any

import psycopg

from babylon_sql.archive.layout import (
    Archive,
    Progress,
    SessionTable,
    locate_archive,
    require_verified,
    session_tables,
)
from babylon_sql.catalogue import queries
from babylon_sql.errors import ArchivalError
from babylon_sql.server.connector import Connector, Pool, as_connector
from babylon_sql.traces.store import drop_session_partition, session_uuid


def count_rows(conn: psycopg.Connection[Any], table: SessionTable, sid: uuid.UUID) -> int:
    query = table.compose(queries("pg").archive.count_session_rows)
    row = conn.execute(query, {"session_id": sid}).fetchone()
    return int(row[0]) if row else 0


def delete_rows(
    conn: psycopg.Connection[Any], tables: list[SessionTable], sid: uuid.UUID
) -> dict[str, int]:
    """Delete the session's rows from every table, children first; table -> rows."""
    q = queries("pg").archive
    deleted: dict[str, int] = {}
    for table in sorted(tables, key=lambda t: (-t.depth, t.name)):
        cur = conn.execute(table.compose(q.delete_session_rows), {"session_id": sid})
        deleted[table.name] = cur.rowcount
    return deleted


def _load(manifest: str | os.PathLike[str] | None) -> Archive:
    if manifest is None:
        raise ArchivalError(
            "purge_session needs the manifest of an export of the session: "
            "run export_session_to_parquet first and pass manifest=<its manifest.json>"
        )
    return locate_archive(manifest)


def purge_session(
    pool: Connector | Pool,
    session_id: uuid.UUID,
    *,
    manifest: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Delete every row of a session, after checking that its export is complete.

    ``manifest`` is the export's ``manifest.json``, its directory, or the
    directory given to the export (see
    :func:`~babylon_sql.archive.layout.locate_archive`); without one, nothing
    is deleted (:class:`ArchivalError`). Checks, all before deleting
    anything: the manifest names this session; every file it lists exists
    with its recorded size and SHA-256 and holds its recorded row count;
    and, with the session row locked FOR UPDATE (writers wait), every
    session-scoped table holds exactly the number of rows the manifest
    recorded (a table the manifest lacks must hold none). Any difference
    raises :class:`ArchivalError` listing them, and nothing is deleted.

    Deletion is one transaction: each table's rows explicitly (trace_log
    included), children first, ``game_session`` last. Shared rows
    (``vector_collection``) stay. Then, in a second transaction, the
    session's trace partition (empty by now) is dropped: dropping a
    partition locks all of ``trace_log`` (ACCESS EXCLUSIVE), and taking that
    lock only after the row deletions could deadlock with a concurrent
    ``create_session_partition``; a lock taken alone cannot. Should that
    second step fail, only an empty partition is left, which
    :func:`~babylon_sql.traces.store.drop_session_partition` removes.
    Returns table -> rows deleted. Other sessions are untouched. Raises
    :class:`SessionNotFoundError` if the session does not exist.
    """
    sid = session_uuid(session_id)
    archive = _load(manifest)
    if archive.manifest.get("session_id") != str(sid):
        raise ArchivalError(
            f"{archive.manifest_path} is the manifest of session "
            f"{archive.manifest.get('session_id')}, not {sid}"
        )
    require_verified(archive, "nothing deleted")
    recorded: Mapping[str, Any] = archive.tables
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, sid, "exclusive")
        tables = session_tables(conn)
        counts = {}
        mismatches = []
        for n, table in enumerate(tables, 1):
            count = counts[table.name] = count_rows(conn, table, sid)
            entry = recorded.get(table.name)
            expected = entry.get("rows") if isinstance(entry, Mapping) else None
            if expected is None and count:
                mismatches.append(f"{table.name}: {count} rows in the database, none exported")
            elif expected is not None and expected != count:
                mismatches.append(
                    f"{table.name}: {count} rows in the database, {expected} exported"
                )
            if progress:
                progress(table.name, n, 2 * len(tables))
        if mismatches:
            raise ArchivalError(
                f"export of session {sid} does not match the database, nothing deleted "
                f"(export again): " + "; ".join(mismatches)
            )
        deleted = delete_rows(conn, tables, sid)
        if deleted != counts:
            raise ArchivalError(
                f"purge of session {sid} deleted {deleted}, expected {counts}; rolled back"
            )
        if progress:
            progress("delete", 2 * len(tables), 2 * len(tables))
    drop_session_partition(pool, sid)
    return deleted
