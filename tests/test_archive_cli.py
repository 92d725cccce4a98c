"""``babylon-sql archive``: the whole round trip as a user runs it.

PostgreSQL is the per-test database; S3 is moto's server on 127.0.0.1. The
commands run in-process through click's runner (a subprocess costs about two
seconds of imports here); one real subprocess checks the installed entry
point and its one-line errors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool
from test_archival import seed_session

from babylon_sql.archive.layout import session_tables
from babylon_sql.archive.purge import count_rows
from babylon_sql.traces import store as tracing

Pool = ConnectionPool[psycopg.Connection[Any]]
CLI = [sys.executable, "-m", "babylon_sql.cli.main"]


#: moto keeps its buckets per process, across servers: a bucket of our own.
BUCKET = f"archive-cli-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ENDPOINT_URL": None,
}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    from click.testing import CliRunner

    from babylon_sql.cli.main import main

    def run(dsn: str, cwd: Path, *args: str) -> Result:
        monkeypatch.chdir(cwd)
        result = CliRunner().invoke(main, list(args), env={**ENV, "BABYLON_DSN": dsn})
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


def subprocess_cli(dsn: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BABYLON_DSN": dsn}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def counts(pool: Pool, sid: uuid.UUID) -> dict[str, int]:
    with pool.connection() as conn:
        return {t.name: count_rows(conn, t, sid) for t in session_tables(conn)}


def test_the_whole_cycle(
    pg_pool: Pool,
    pg_dsn: str,
    pg_server: Any,
    tmp_path: Path,
    s3_endpoint: str,
    cli: Callable[..., Result],
) -> None:
    sid = uuid.uuid4()
    with pg_pool.connection() as conn:
        seed_session(conn, sid, 3, pg_server.has("vector"))
    tracing.create_session_partition(pg_pool, sid)
    tracing.persist_traces(pg_pool, sid, 1, [{"system": "S", "event": "e", "data": {"k": 5}}])
    before = counts(pg_pool, sid)

    done = cli(pg_dsn, tmp_path, "archive", "export", str(sid), "--json")
    assert done.returncode == 0, done.stderr
    exported = json.loads(done.stdout)
    assert exported["session_id"] == str(sid)
    assert exported["directory"] == str(tmp_path / "archive" / str(sid))
    assert exported["tables"]["trace_log"] == 1
    assert exported["trace_partition"] is True

    listed = cli(pg_dsn, tmp_path, "archive", "list", "--verify")
    assert listed.returncode == 0, listed.stderr
    assert str(sid) in listed.stdout
    assert " ok" in listed.stdout

    up = cli(
        pg_dsn, tmp_path, "archive", "upload", "archive", "--bucket", BUCKET,
        "--prefix", "team", "--endpoint-url", s3_endpoint, "--json",
    )  # fmt: skip
    assert up.returncode == 0, up.stderr
    keys = json.loads(up.stdout)["keys"]
    assert keys[-1] == f"team/{sid}/manifest.json"

    purged = cli(pg_dsn, tmp_path, "archive", "purge", "archive", "--yes")
    assert purged.returncode == 0, purged.stderr
    assert f"purged session {sid}" in purged.stdout
    assert set(counts(pg_pool, sid).values()) == {0}

    q = (
        "SELECT tick, count(*) AS n FROM simulation_event WHERE tick >= $t "
        "GROUP BY tick ORDER BY tick"
    )
    local = cli(pg_dsn, tmp_path, "archive", "query", "archive", q, "--param", "t=1", "--json")
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout) == [{"tick": 1, "n": 2}, {"tick": 2, "n": 2}]
    remote = cli(
        pg_dsn, tmp_path, "archive", "query", f"s3://{BUCKET}/team", q, "--param", "t=1",
        "--endpoint-url", s3_endpoint,
    )  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout.splitlines()[0].split() == ["tick", "n"]

    # restored from the bucket: the local copy is not needed
    restored = cli(
        pg_dsn, tmp_path, "archive", "restore", f"s3://{BUCKET}/team/{sid}",
        "--endpoint-url", s3_endpoint, "--json",
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["restored"]["game_session"] == 1
    assert counts(pg_pool, sid) == before

    again = cli(pg_dsn, tmp_path, "archive", "restore", "archive")
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1
    assert again.stderr.startswith(f"babylon-sql: error: session {sid} is still in the database")
    replaced = cli(pg_dsn, tmp_path, "archive", "restore", "archive", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert counts(pg_pool, sid) == before


def test_errors_are_one_line(pg_dsn: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    missing = uuid.uuid4()
    for args, message in [
        (("archive", "export", str(missing)), f"no game_session row has session_id {missing}"),
        (("archive", "export", "not-a-uuid"), "session_id must be a UUID"),
        (("archive", "query", "nowhere", "SELECT 1"), "no archive at nowhere"),
        (("archive", "restore", "."), "holds no session archive"),
        (("archive", "list", "nowhere"), "no archive at nowhere"),
        (("archive", "query", ".", "SELECT 1", "--param", "oops"), "--param takes NAME=VALUE"),
    ]:
        result = cli(pg_dsn, tmp_path, *args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("babylon-sql: error: "), result.stderr
        assert message in result.stderr, result.stderr
    # the same through the installed entry point, in a process of its own
    for args, message in [
        (("archive", "export", str(missing)), f"no game_session row has session_id {missing}"),
    ]:
        result = subprocess_cli(pg_dsn, tmp_path, *args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("babylon-sql: error: "), result.stderr
        assert message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []
