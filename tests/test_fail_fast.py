"""Unreachable servers and missing schemas: typed errors at once, saying why and what to do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql import PostgresRuntime
from babylon_sql.catalogue import queries
from babylon_sql.errors import SchemaMissingError, ServerUnreachableError
from babylon_sql.server.pool import open_pool


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_open_pool_names_host_port_and_reason_within_seconds() -> None:
    port = _closed_port()
    start = time.perf_counter()
    with pytest.raises(ServerUnreachableError) as info:
        open_pool(f"host=127.0.0.1 port={port} dbname=babylon password=secret")
    assert time.perf_counter() - start < 5
    message = str(info.value)
    assert f"host 127.0.0.1, port {port}" in message
    assert "Connection refused" in message
    assert "secret" not in message
    assert info.value.host == "127.0.0.1"
    assert info.value.port == str(port)


def test_the_readme_pool_example_fails_fast_too(tmp_path: Any) -> None:
    dsn = f"host={tmp_path} port=5999 dbname=babylon"  # a socket directory with no server
    start = time.perf_counter()
    with (
        pytest.raises(ServerUnreachableError, match=f"host {tmp_path}, port 5999"),
        ConnectionPool(dsn, open=True) as pool,
    ):
        PostgresRuntime(pool)
    assert time.perf_counter() - start < 5


def test_the_cli_prints_the_reason_in_one_line() -> None:
    port = _closed_port()
    result = subprocess.run(
        [sys.executable, "-m", "babylon_sql.cli.main", "sessions", "list"],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PG")},
            "BABYLON_DSN": f"host=127.0.0.1 port={port} dbname=x",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        f"babylon-sql: error: cannot connect to PostgreSQL at host 127.0.0.1, port {port}:"
    )


def test_runtime_on_a_database_without_the_schema(empty_pg_dsn: str) -> None:
    with ConnectionPool(empty_pg_dsn, open=False) as pool:
        runtime = PostgresRuntime(pool)
        with pytest.raises(SchemaMissingError) as info:
            runtime.create_session("nothing")
        assert "init_schema()" in str(info.value)
        assert "babylon-sql schema apply" in str(info.value)
        assert '"game_session" does not exist' in str(info.value)
    with psycopg.connect(empty_pg_dsn) as conn:
        assert list(queries("pg").server.schema_objects(conn)) == []
