"""`babylon-sql schema check|migrate|status|objects`, as a subprocess on real databases."""

from __future__ import annotations

import warnings
from typing import Any

import psycopg
from conftest import PgServer
from psycopg import sql
from psycopg_pool import ConnectionPool
from test_cli import run

from babylon_sql import PgVectorStore, PostgresRuntime
from babylon_sql.server.check import Drift, compare
from babylon_sql.server.migrations import latest_version
from babylon_sql.server.pool import configure_connection
from babylon_sql.server.schema import SkippedObjectsWarning, apply_schema


def _execute(dsn: str, *statements: str) -> None:
    with psycopg.connect(dsn) as conn:
        for statement in statements:
            conn.execute(sql.SQL(statement))  # type: ignore[arg-type]


def test_check_passes_on_a_fresh_database_with_run_time_objects(
    pg_server: PgServer, pg_dsn: str
) -> None:
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        pg_dsn, min_size=1, max_size=2, configure=configure_connection, open=True
    )
    with PostgresRuntime(pool) as rt:
        # objects the toolkit creates at run time are not drift
        rt.create_session_partition(rt.create_session("p"))
        if pg_server.has("vector"):
            PgVectorStore(pool, dimension=24, collection="c24").register()
    result = run("--dsn", pg_dsn, "schema", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no drift" in result.stdout


def test_check_reports_hand_made_changes_and_fails(pg_dsn: str) -> None:
    _execute(
        pg_dsn,
        "DROP INDEX hex_map_county_idx",
        "ALTER TABLE game_session ADD COLUMN intruder integer",
        "ALTER TABLE infrastructure_link_state ALTER COLUMN capacity TYPE real",
        "DROP VIEW v_hex_aid",
        "CREATE OR REPLACE FUNCTION babylon_analyze(VARIADIC tables regclass[]) RETURNS void "
        "LANGUAGE sql AS 'SELECT NULL'",
        "DROP TRIGGER graph_snapshot_cascade ON graph_snapshot",
        "ALTER TABLE tick_log DROP CONSTRAINT tick_log_tick_check",
        "COMMENT ON INDEX game_session_status_created_idx IS NULL",
    )
    result = run("--dsn", pg_dsn, "schema", "check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for expected in (
        "missing index hex_map_county_idx: CREATE INDEX hex_map_county_idx",
        "extra column game_session.intruder: integer",
        "different column infrastructure_link_state.capacity: ddl/ has double precision; "
        "the database has real",
        "missing view v_hex_aid:",
        "different function babylon_analyze(regclass[]):",
        "missing trigger graph_snapshot.graph_snapshot_cascade:",
        "missing constraint tick_log.tick_log_tick_check: CHECK ((tick >= 0))",
        "missing comment game_session_status_created_idx:",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert "difference(s) from ddl/" in result.stderr


def test_compare_ignores_only_extra_run_time_objects() -> None:
    expected = {("index", "document_chunk_hnsw_768"): "x"}
    actual = {
        ("index", "document_chunk_hnsw_24"): "y",
        ("table", "trace_log_s_" + "0" * 32): "z",
        ("table", "trace_log_s_oops"): "w",
    }
    assert compare(expected, actual) == (
        Drift("missing", "index", "document_chunk_hnsw_768", "x", None),
        Drift("extra", "table", "trace_log_s_oops", None, "w"),
    )


def test_migrate_status_and_objects_commands(empty_pg_dsn: str) -> None:
    with psycopg.connect(empty_pg_dsn) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        apply_schema(conn, target=1)
    status = run("--dsn", empty_pg_dsn, "schema", "status")
    assert status.returncode == 0, status.stderr
    assert "version: 1; latest" in status.stdout
    assert "pending 0002_comments.sql" in status.stdout
    dry = run("--dsn", empty_pg_dsn, "schema", "migrate", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would apply migration 0002_comments.sql" in dry.stdout
    assert "rolled back" in dry.stdout
    assert "version: 1;" in run("--dsn", empty_pg_dsn, "schema", "status").stdout
    done = run("--dsn", empty_pg_dsn, "schema", "migrate")
    assert done.returncode == 0, done.stderr
    assert f"version 1 -> {latest_version('pg')}" in done.stdout
    assert "nothing to do" in run("--dsn", empty_pg_dsn, "schema", "migrate").stdout
    objects = run("--dsn", empty_pg_dsn, "schema", "objects").stdout
    assert "list_sessions() filters by status" in objects  # an index comment
    assert "function (definer)" in objects
    assert "babylon_create_trace_partition(uuid)" in objects
    assert "graph_snapshot.graph_snapshot_cascade" in objects
    assert "trigger" in objects
