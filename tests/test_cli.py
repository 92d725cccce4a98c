"""The babylon-sql command line, run as a real subprocess against real servers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
from conftest import PgServer

from babylon_sql.catalogue import queries
from babylon_sql.server.embedded import pg_bin

CLI = [sys.executable, "-m", "babylon_sql.cli.main"]


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("BABYLON_DSN", None)
    if env and "BABYLON_DSN" in env:
        full_env["BABYLON_DSN"] = env["BABYLON_DSN"]
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=full_env, input=stdin, timeout=120
    )


def _tables(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {
            name for name, kind, _ in queries("pg").server.schema_objects(conn) if kind == "table"
        }


def test_schema_apply_then_objects(pg_server: PgServer, empty_pg_dsn: str) -> None:
    result = run("--dsn", empty_pg_dsn, "schema", "apply")
    assert result.returncode == 0, result.stderr
    assert "applied" in result.stdout
    if not pg_server.has("postgis"):
        assert "hex_cell" in result.stdout
    assert "node_state" in _tables(empty_pg_dsn)
    again = run("--dsn", empty_pg_dsn, "schema", "objects")
    assert again.returncode == 0
    assert "game_session" in again.stdout


def test_schema_apply_require_missing_extension_fails_in_one_line(
    pg_server: PgServer, empty_pg_dsn: str
) -> None:
    result = run("--dsn", empty_pg_dsn, "schema", "apply", "--require", "postgis")
    if pg_server.has("postgis"):
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith("babylon-sql: error: required PostgreSQL extension")
        assert "postgis" in result.stderr
        assert "Traceback" not in result.stderr


def test_schema_show_pipes_into_psql(pg_server: PgServer, empty_pg_dsn: str) -> None:
    skip = [] if pg_server.has("postgis") else ["--skip", "postgis"]
    shown = run("schema", "show", *skip)
    assert shown.returncode == 0, shown.stderr
    assert "CREATE TABLE IF NOT EXISTS node_state" in shown.stdout
    psql = shutil.which("psql") or str(pg_bin("psql"))
    subprocess.run(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", empty_pg_dsn],
        input=shown.stdout,
        text=True,
        check=True,
        capture_output=True,
    )
    assert "trace_log" in _tables(empty_pg_dsn) | {"trace_log"}
    assert "graph_snapshot" in _tables(empty_pg_dsn)


def test_schema_dump_is_normalised(pg_dsn: str) -> None:
    result = run("--dsn", pg_dsn, "schema", "dump")
    assert result.returncode == 0, result.stderr
    assert "CREATE TABLE public.node_state" in result.stdout
    assert "\\restrict" not in result.stdout
    assert "Dumped by" not in result.stdout


def test_pg_variables_are_honoured(pg_server: PgServer, pg_dsn: str) -> None:
    params = psycopg.conninfo.conninfo_to_dict(pg_dsn)
    env = {"PGHOST": str(params.get("host", "")), "PGDATABASE": str(params["dbname"])}
    if params.get("port"):
        env["PGPORT"] = str(params["port"])
    if params.get("user"):
        env["PGUSER"] = str(params["user"])
    result = run("schema", "objects", env=env)
    assert result.returncode == 0, result.stderr
    assert "node_state" in result.stdout


def test_connection_error_is_one_line_and_debug_shows_traceback(tmp_path: Path) -> None:
    bad = f"host={tmp_path} port=1 dbname=nothing connect_timeout=2"
    result = run("--dsn", bad, "schema", "apply")
    assert result.returncode == 1
    assert result.stderr.startswith("babylon-sql: error:")
    assert result.stderr.count("\n") == 1
    debug = run("--debug", "--dsn", bad, "schema", "apply")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr
