"""No password in any output: a matrix of malformed and valid DSNs through the
library (``resolve_dsn``, ``open_pool``, ``PostgresRuntime``, ``dump_schema``),
the command line (``--dsn`` and ``BABYLON_DSN``, with and without
``--debug``) and the log records, plus ``pg_dump``'s process arguments while
``schema dump`` runs.

The valid DSNs log in, with a password the server checks (scram-sha-256),
to a cluster of the run's own (``own_cluster``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosql
import psycopg
import pytest
from conftest import OwnCluster
from psycopg_pool import ConnectionPool
from reliability_writer import tick_events, tick_graph

from babylon_sql.errors import BabylonSqlError, ConfigurationError
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.dump import dump_schema
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import apply_schema
from babylon_sql.server.secrets import (
    MASK,
    client_environment,
    escape_controls,
    redact,
    remember_dsn,
)

SQL = Path(__file__).parent / "sql" / "reliability"
PG = aiosql.from_path(SQL / "pg", "psycopg")
CLI = [sys.executable, "-m", "babylon_sql.cli.main"]

#: The password of the role ``reliab_pw`` (tests/sql/reliability/pg/create_password_role.sql).
PASSWORD = "Zq7-reliab-pass-word"
#: Passwords of the malformed DSNs: two pieces, so a DSN split at the space is caught too.
A, B = "Xk9malformedA", "Vw4secretB"
S = "Tr5-plain-secret"


@dataclass(frozen=True)
class Target:
    """The password-protected database of the matrix's valid DSNs."""

    directory: str
    port: int
    name: str
    admin_dsn: str


@pytest.fixture(scope="module")
def target(own_cluster: OwnCluster) -> Iterator[Target]:
    name = f"reliab_s_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as conn:
        with contextlib.suppress(psycopg.errors.DuplicateObject):
            PG.create_password_role(conn)
        create_database(conn, name)
    hba = Path(own_cluster.directory) / "data" / "pg_hba.conf"
    rule = "local all reliab_pw scram-sha-256\n"
    text = hba.read_text()
    if rule not in text:
        hba.write_text(rule + text)
    with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as conn:
        PG.reload_conf(conn)
    with psycopg.connect(own_cluster.dsn(name)) as conn:
        apply_schema(conn, warn=False)
    try:
        yield Target(own_cluster.directory, own_cluster.port, name, own_cluster.admin_dsn)
    finally:
        with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as conn:
            PG.terminate_other_backends(conn, dbname=name)
            drop_database(conn, name)


def _matrix(t: Target) -> list[tuple[str, str, list[str], bool]]:
    """(label, DSN, secrets that must never show, whether it connects).

    Each malformed DSN has secrets of its own, so that redacting one DSN's
    password never hides another's.
    """
    host = quote(t.directory, safe="")
    kw = f"host={t.directory} port={t.port} dbname={t.name} user=reliab_pw"
    shapes = [
        ("uri bad ipv6", "postgresql://u:{S}@[::1]x/db"),
        ("uri bad percent", "postgresql://u:{S}%ZZ@localhost/db"),
        ("kw unquoted space", "host=/nonexistent password={A} {B} dbname=x"),
        ("kw quoted space", "host=/nonexistent password='{A} {B}' dbname=x"),
        ("kw unterminated quote", "host=/nonexistent password='{A} {B}"),
        ("uri text port", "postgresql://u:{S}@localhost:notaport/db"),
        ("uri unknown parameter", "postgresql://u:{S}@localhost/db?bogus=1"),
        ("uri bad sslmode", "postgresql://u:{S}@localhost/db?sslmode=bogus"),
        ("kw text port", "password={S} port=abc"),
        ("kw spaces around =", "password = {S} host=127.0.0.1 port=1"),
        ("uri @ in password", "postgresql://u:Q@{S}@127.0.0.1:1/db"),
        ("uri refused", "postgresql://u:{S}@127.0.0.1:1/db"),
        ("uri password parameter", "postgresql://u@127.0.0.1:1/db?password={S}"),
        ("uri missing socket", "postgresql://u:{S}@/db?host=/nonexistent"),
        ("kw wrong password", kw + " password={S}"),
        ("uri wrong password",
         "postgresql://reliab_pw:{S}@/" + f"{t.name}?host={host}&port={t.port}"),
    ]  # fmt: skip
    rows = []
    for i, (label, shape) in enumerate(shapes):
        a, b, s = f"Xk9malA{i:02d}", f"Vw4secB{i:02d}", f"Tr5-secret-{i:02d}"
        dsn = shape.replace("{S}", s).replace("{A}", a).replace("{B}", b)
        secrets = [a, b] if "{A}" in shape else [s]
        rows.append((label, dsn, secrets, False))
    rows += [
        ("kw valid", f"{kw} password={PASSWORD}", [PASSWORD], True),
        ("kw valid quoted", f"{kw} password='{PASSWORD}'", [PASSWORD], True),
        ("uri valid", f"postgresql://reliab_pw:{PASSWORD}@/{t.name}?host={host}&port={t.port}",
         [PASSWORD], True),
    ]  # fmt: skip
    return rows


#: The command-line runs of each DSN: the shapes of the issue get every run,
#: the others one each, in turn (a subprocess costs ~0.7 s of CPU).
CLI_RUNS: list[tuple[list[str], bool]] = [
    (["schema", "apply"], False),  # (arguments, DSN through BABYLON_DSN instead of --dsn)
    (["--debug", "schema", "dump"], True),
    (["--debug", "schema", "apply"], False),
    (["schema", "dump"], True),
]
EVERY_RUN = ("uri bad ipv6", "uri bad percent", "kw unquoted space", "uri valid")


def _forms(secrets: list[str]) -> list[str]:
    return sorted({*secrets, *(quote(s, safe="") for s in secrets)})


def _chain(exc: BaseException) -> str:
    """Every text of an exception: message, traceback, causes and contexts."""
    seen: list[str] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None:
            continue
        seen.append(repr(e))
        seen.append("".join(traceback.format_exception(e)))
        todo += [e.__cause__, e.__context__]
    return "\n".join(seen)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_records() -> Iterator[_Records]:
    handler = _Records()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def _library_outputs(dsn: str, connects: bool, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Every text the library gives for ``dsn``: results, errors, printed output."""
    texts = []
    outcomes = []

    def attempt(call: Any) -> None:
        try:
            texts.append(repr(call()))
            outcomes.append(True)
        except (BabylonSqlError, subprocess.CalledProcessError) as exc:
            texts.append(_chain(exc))
            texts.append(str(getattr(exc, "stderr", "")))
            outcomes.append(False)

    def through_open_pool() -> Any:
        with PostgresRuntime(open_pool(dsn, max_size=1)) as rt:
            sid = rt.create_session("secrets")
            rt.persist_tick(0, tick_graph(0, size=5), tick_events(0), session_id=sid)
            return rt.get_session(sid)

    def through_own_pool() -> Any:
        pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(dsn, open=False)
        with PostgresRuntime(pool) as rt:
            return rt.list_sessions()

    attempt(lambda: resolve_dsn(dsn)[:0])  # it returns the caller's own DSN
    attempt(through_open_pool)
    attempt(through_own_pool)
    attempt(lambda: dump_schema(dsn)[:200])
    assert outcomes == [True, connects, connects, connects], "\n".join(texts)
    captured = capsys.readouterr()
    return [*texts, captured.out, captured.err]


def _cli(args: list[str], dsn_env: str | None = None) -> str:
    """What the command line printed (its own arguments, which hold the DSN, left out)."""
    env = {k: v for k, v in os.environ.items() if k != "BABYLON_DSN"}
    if dsn_env is not None:
        env["BABYLON_DSN"] = dsn_env
    started = time.monotonic()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)
    shown = " ".join(
        a for a in args if a != env.get("BABYLON_DSN") and "=" not in a and "//" not in a
    )
    took = time.monotonic() - started
    return f"{shown} ({took:.1f} s) exit {done.returncode}\n{done.stdout}\n{done.stderr}"


def test_no_password_in_any_output_of_the_dsn_matrix(
    target: Target, log_records: _Records, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _matrix(target)
    assert len(matrix) >= 13
    # The command line, as subprocesses, four at a time.
    jobs: list[tuple[str, list[str], list[str], str | None]] = []
    for i, (label, dsn, secrets, _) in enumerate(matrix):
        runs = CLI_RUNS if label in EVERY_RUN else [CLI_RUNS[i % len(CLI_RUNS)]]
        for args, through_env in runs:
            if through_env:
                jobs.append((label, secrets, args, dsn))
            else:
                jobs.append((label, secrets, ["--dsn", dsn, *args], None))
    with ThreadPoolExecutor(4) as pool:
        futures = [
            (label, secrets, pool.submit(_cli, args, env)) for label, secrets, args, env in jobs
        ]
        # The library, in this process, meanwhile.
        library = {
            label: _library_outputs(dsn, connects, capsys) for label, dsn, _, connects in matrix
        }
        cli = [(label, secrets, future.result()) for label, secrets, future in futures]
    leaks = []
    for label, _, secrets, _ in matrix:
        for form in _forms(secrets):
            leaks += [f"library {label}: {form}" for text in library[label] if form in text]
    for label, secrets, text in cli:
        leaks += [f"cli {label}: {form}\n{text}" for form in _forms(secrets) if form in text]
    every_secret = [f for _, _, secrets, _ in matrix for f in _forms(secrets)]
    leaks += [f"log: {line}" for line in log_records.lines for f in every_secret if f in line]
    assert leaks == [], "\n".join(leaks)
    # Sanity: the valid DSNs worked through the CLI and the failures said why.
    valid = [text for label, _, text in cli if "valid" in label and "wrong" not in label]
    assert all(" exit 0\n" in text for text in valid), valid
    refused = next(text for label, _, text in cli if label == "uri refused")
    assert "127.0.0.1" in refused
    assert "Connection refused" in refused
    malformed = next(text for label, _, text in cli if label == "uri bad percent")
    assert "invalid percent-encoded token" in malformed


def test_psycopg_pool_warnings_are_redacted(log_records: _Records) -> None:
    dsn = f"postgresql://u:Q@{S}@127.0.0.1:1/db?connect_timeout=1"
    assert resolve_dsn(dsn) == dsn  # the library has seen the DSN
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        dsn, min_size=1, open=False, reconnect_timeout=1
    )
    pool.open(wait=False)
    deadline = time.monotonic() + 10
    while not any("error connecting" in line for line in log_records.lines):
        assert time.monotonic() < deadline, log_records.lines
        time.sleep(0.05)
    pool.close()
    warnings = [line for line in log_records.lines if "error connecting" in line]
    assert "127.0.0.1" in warnings[0]
    assert not [line for line in log_records.lines if S in line]


def test_pg_dump_gets_no_password_in_its_arguments(target: Target) -> None:
    """While ``schema dump`` runs, pg_dump's /proc cmdline and environment hold no password."""
    dsn = f"host={target.directory} port={target.port} dbname={target.name} user=reliab_pw"
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(dsn).close()  # the server does ask for the password
    env = {k: v for k, v in os.environ.items() if k != "BABYLON_DSN"}
    env["BABYLON_DSN"] = f"{dsn} password={PASSWORD}"
    with psycopg.connect(
        target.admin_dsn.replace("dbname=postgres", f"dbname={target.name}")
    ) as holder:
        PG.lock_table_exclusive(holder)  # pg_dump waits for this lock: time to look at it
        cli = subprocess.Popen(
            [*CLI, "--debug", "schema", "dump"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            pid = _child_named(cli.pid, "pg_dump")
            proc = Path("/proc") / str(pid)
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            environ = dict(
                item.decode().split("=", 1)
                for item in (proc / "environ").read_bytes().split(b"\0")
                if b"=" in item
            )
        finally:
            holder.rollback()
        out, err = cli.communicate(timeout=60)
    assert cli.returncode == 0, err
    assert "CREATE TABLE public.node_state" in out
    assert argv[0].endswith(b"pg_dump")
    assert not [a for a in argv if PASSWORD.encode() in a]
    assert not [k for k, v in environ.items() if PASSWORD in v]
    assert "BABYLON_DSN" not in environ
    passfile = Path(environ["PGPASSFILE"])
    assert not passfile.exists()  # removed once pg_dump ended
    assert PASSWORD not in out + err


def _child_named(parent: int, name: str) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == parent and cmd.split(b"\0")[0].endswith(name.encode()):
                return int(entry.name)
        time.sleep(0.01)
    raise AssertionError(f"no {name} child of {parent} appeared")


def test_client_environment_passes_the_password_in_a_0600_passfile() -> None:
    dsn = f"host=/tmp port=5 user=u password='{A} :\\\\x{B}'"
    with client_environment(dsn, base={"BABYLON_DSN": dsn, "PGPASSWORD": "old"}) as (bare, env):
        assert A not in bare
        assert "password" not in bare
        assert set(env) == {"PGPASSFILE"}
        passfile = Path(env["PGPASSFILE"])
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
        assert passfile.read_text() == f"*:*:*:*:{A} \\:\\\\x{B}\n"
    assert not passfile.exists()
    with client_environment("host=/tmp user=u", base={}) as (bare, env):
        assert env == {}
        assert "user=u" in bare
    with pytest.raises(ConfigurationError) as bad, client_environment(f"password={A} {B}"):
        pass
    assert A not in str(bad.value)
    assert B not in str(bad.value)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"postgresql://user:{S}@host:5432/db", S),
        (f"postgres://user:{A} {B}@host/db", A),
        (f"connect to 'postgresql://u:p@{S}@[::1]x/db' failed", S),
        (f"host=h password={A} {B} dbname=d", B),
        (f"host=h password='{A} \\' {B}' dbname=d", B),
        (f"host=h PASSWORD = {S}", S),
        (f"PGPASSWORD={S} pg_dump", S),
        (f"sslpassword={S}", S),
        (f"{{'host': 'h', 'password': '{S}'}}", S),
        (f"postgresql://u@h/db?password={S}&sslmode=require", S),
    ],
)
def test_redact_patterns(text: str, hidden: str) -> None:
    shown = redact(text)
    assert hidden not in shown
    assert MASK in shown


def test_redact_remembered_dsns_and_libpq_fragments() -> None:
    dsn = f"host=/x password={A} {B}"
    remember_dsn(dsn)
    assert redact(f'missing "=" after "{B}" in connection info string') == (
        f'missing "=" after "{MASK}" in connection info string'
    )
    assert redact(f"anything {A} anywhere") == f"anything {MASK} anywhere"
    encoded = "p%40ss%20Word99"
    remember_dsn(f"postgresql://u:{encoded}@h/db")
    assert redact("said p@ss Word99 here") == f"said {MASK} here"
    # Fragments that are not the password stay: the message keeps its use.
    assert redact('unexpected character "x"') == 'unexpected character "x"'


def test_escape_controls() -> None:
    assert escape_controls("a\x1b[31mred\x07\r\n\u202eb\x9bc\x7f") == (
        "a\\x1b[31mred\\x07\\x0d\\x0a\\u202eb\\x9bc\\x7f"
    )
    assert escape_controls("plain ü 日本") == "plain ü 日本"
