"""Least-privilege roles: log in as each and prove what it can and cannot do.

The runtime contract suite (its PostgreSQL backend as ``postgres-writer``,
and every test taking a PostgreSQL fixture) and a representative subset of
the hex journal, vector store and trace tests (marked ``as_writer``) run
again logged in as the writer role; see tests/conftest.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from conftest import PgRoles, PgServer
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from babylon_sql import PostgresRuntime
from babylon_sql.catalogue import ddl_dir
from babylon_sql.errors import ExtensionPrivilegeError, ValidationError
from babylon_sql.server.admin import clone_database, drop_database
from babylon_sql.server.embedded import pg_bin
from babylon_sql.server.migrations import latest_version, schema_status
from babylon_sql.server.pool import configure_connection
from babylon_sql.server.roles import create_roles, drop_roles, roles
from babylon_sql.server.schema import SkippedObjectsWarning, apply_schema

DENIED = psycopg.errors.InsufficientPrivilege


@pytest.fixture
def role_db(pg_server: PgServer, pg_roles: PgRoles) -> Iterator[dict[str, str]]:
    """DSNs of one clone of the roles template, per login: admin, owner, writer, reader."""
    name = f"babylon_r_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        clone_database(conn, name, pg_roles.template)
    dsn = pg_server.dsn(name)
    try:
        yield {
            "admin": dsn,
            **{kind: make_conninfo(dsn, user=getattr(pg_roles.names, kind)) for kind in
               ("owner", "writer", "reader")},
        }  # fmt: skip
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, name)


def _denied(dsn: str, statement: str) -> None:
    with psycopg.connect(dsn) as conn, pytest.raises(DENIED):
        conn.execute(sql.SQL(statement))  # type: ignore[arg-type]


def _allowed(dsn: str, statement: str) -> Any:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql.SQL(statement)).fetchall()  # type: ignore[arg-type]


def test_the_writer_has_dml_and_no_ddl(role_db: dict[str, str]) -> None:
    w = role_db["writer"]
    _allowed(w, "INSERT INTO runtime_metadata (key, value) VALUES ('k', 'v') RETURNING key")
    _allowed(w, "UPDATE runtime_metadata SET value = 'w' WHERE key = 'k' RETURNING key")
    _allowed(w, "DELETE FROM runtime_metadata WHERE key = 'k' RETURNING key")
    _denied(w, "CREATE TABLE intruder (x int)")
    _denied(w, "CREATE INDEX intruder_idx ON game_session (name)")
    _denied(w, "ALTER TABLE game_session ADD COLUMN intruder int")
    _denied(w, "DROP TABLE tick_log")
    _denied(w, "DROP VIEW hex_latest")
    _denied(w, "TRUNCATE node_state")
    _denied(w, "INSERT INTO babylon_schema_version VALUES (99, 'x', 'migrated', 'x')")
    _denied(w, "DELETE FROM babylon_schema_version")
    assert _allowed(w, "SELECT count(*) FROM babylon_schema_version")[0][0] == latest_version("pg")
    # what needs DDL at run time, through the SECURITY DEFINER functions
    _allowed(w, "SELECT babylon_analyze('hex_map', 'game_session')")


def test_the_writer_runs_partitions_and_a_current_init_schema(role_db: dict[str, str]) -> None:
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        role_db["writer"], min_size=1, max_size=2, configure=configure_connection, open=True
    )
    with PostgresRuntime(pool) as rt:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedObjectsWarning)
            report = rt.init_schema()  # at the latest version: no DDL at all
        assert report.migrated == ()
        assert report.applied == ()
        sid = rt.create_session("w")
        rt.persist_traces(sid, 0, [{"system": "s", "event": "e"}])
        rt.create_session_partition(sid)
        rt.persist_traces(sid, 1, [{"system": "s", "event": "e"}])
        assert len(rt.get_traces(sid)) == 2
        owner = _allowed(
            role_db["admin"],
            "SELECT pg_get_userbyid(relowner) FROM pg_class "
            f"WHERE relname = 'trace_log_s_{sid.hex}'",
        )
        assert owner[0][0].endswith("_owner")
        rt.drop_session_partition(sid)
        assert rt.get_traces(sid) == []


def test_the_reader_reads_the_views_and_nothing_else(role_db: dict[str, str]) -> None:
    r = role_db["reader"]
    for view in ("hex_latest", "v_hex_economic", "v_hex_heat", "v_session_summary"):
        _allowed(r, f"SELECT * FROM {view} LIMIT 1")
    for table in ("game_session", "node_state", "hex_county_latest", "babylon_schema_version"):
        _denied(r, f"SELECT * FROM {table} LIMIT 1")
    _denied(r, "INSERT INTO runtime_metadata (key, value) VALUES ('k', 'v')")
    _denied(r, "CREATE TABLE intruder (x int)")
    _denied(r, "SELECT babylon_analyze('game_session')")
    _denied(r, "SELECT babylon_create_trace_partition(gen_random_uuid())")


def test_the_owner_runs_ddl_and_owns_the_schema(role_db: dict[str, str]) -> None:
    o = role_db["owner"]
    with psycopg.connect(o) as conn:
        conn.execute(sql.SQL("CREATE TABLE scratch (x int)"))
        conn.execute(sql.SQL("DROP TABLE scratch"))
    # nothing of the schema is left to another owner
    rows = _allowed(
        role_db["admin"],
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class AS c "
        "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
        "AND c.relkind IN ('r', 'p', 'v') AND NOT EXISTS (SELECT 1 FROM pg_depend AS d "
        "WHERE d.objid = c.oid AND d.deptype = 'e')",
    )
    assert rows
    assert {owner for _, owner in rows} == {o.split("user=")[1].split()[0]}


def test_a_non_superuser_owner_migrates_and_skips_what_it_may_not_create(
    pg_server: PgServer, pg_roles: PgRoles, empty_pg_dsn: str
) -> None:
    with psycopg.connect(empty_pg_dsn) as conn:
        create_roles(conn, pg_roles.names.prefix)  # grants on this database
    owner = make_conninfo(empty_pg_dsn, user=pg_roles.names.owner)
    untrusted = {e for e in ("postgis", "vector") if pg_server.has(e)}
    assert untrusted
    with psycopg.connect(owner) as conn:
        # require= refuses before anything is written, naming the privilege
        with pytest.raises(ExtensionPrivilegeError, match="not trusted") as info:
            apply_schema(conn, require=tuple(sorted(untrusted)))
        assert "superuser" in str(info.value)
        assert pg_roles.names.owner in str(info.value)
        assert schema_status(conn).version is None
        with pytest.warns(SkippedObjectsWarning, match="superuser") as caught:
            first = apply_schema(conn, target=2)
        assert pg_roles.names.owner in str(caught[0].message)
        assert first.migrated == ("0001_initial.sql", "0002_comments.sql")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedObjectsWarning)
            report = apply_schema(conn)
        assert report.version == latest_version("pg")
        assert "100_semantic.sql" in report.skipped
        assert "document_chunk" in report.skipped_objects
    if not pg_server.has("vector"):
        return
    # A superuser creates the extension, as the warning says; the owner's
    # next apply adds the pgvector layer at its current state.
    with psycopg.connect(empty_pg_dsn) as conn:
        conn.execute(sql.SQL("CREATE EXTENSION vector"))
    with psycopg.connect(owner) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        report = apply_schema(conn)
    assert report.applied == ("100_semantic.sql",)
    assert _allowed(owner, "SELECT count(*) FROM document_chunk")[0][0] == 0


def test_roles_sql_runs_under_psql_and_twice(pg_server: PgServer, pg_dsn: str) -> None:
    prefix = f"bp{uuid.uuid4().hex[:10]}"
    psql = shutil.which("psql") or str(pg_bin("psql"))
    env = {**os.environ, "PGOPTIONS": f"-c babylon.role_prefix={prefix}"}
    try:
        for _ in range(2):
            subprocess.run(
                [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg_dsn,
                 "-f", str(ddl_dir("pg") / "roles.sql")],
                check=True, capture_output=True, env=env,
            )  # fmt: skip
        names = roles(prefix)
        rows = _allowed(
            pg_dsn,
            f"SELECT rolname, rolcanlogin, rolsuper FROM pg_roles "
            f"WHERE rolname LIKE '{prefix}%' ORDER BY 1",
        )
        assert rows == sorted((n, False, False) for n in names.all())
    finally:
        with psycopg.connect(pg_dsn) as conn:
            drop_roles(conn, prefix)


def test_bad_prefixes_are_refused() -> None:
    for bad in ("", "Upper", "1x", "a-b", "x" * 42, "a;drop"):
        with pytest.raises(ValidationError, match="prefix"):
            roles(bad)
