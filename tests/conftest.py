"""Test harness: real servers only.

PostgreSQL comes from ``BABYLON_TEST_DSN`` if set, else the embedded
PostgreSQL 18. The schema is built once per run into a template database and
cloned for every test that asks for ``pg_dsn`` (``CREATE DATABASE … TEMPLATE``).
Under ``CI=true`` a skipped test fails the run.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from psycopg_pool import ConnectionPool

from babylon_sql.catalogue import all_query_names, record_query_use
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.admin import clone_database, create_database, drop_database, mark_template
from babylon_sql.server.pool import configure_connection
from babylon_sql.server.roles import Roles, create_roles, drop_roles, roles
from babylon_sql.server.schema import SchemaReport, SkippedObjectsWarning, apply_schema

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite the committed schema snapshots instead of comparing with them",
    )


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


# Every query file must be run by some test, not merely named in the code:
# the catalogue records the queries run in this process, and CLI or worker
# subprocesses append theirs to this file (BABYLON_SQL_RECORD_QUERIES).
_QUERY_LOG = os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"babylon-sql-queries-{os.getpid()}.log"
)
os.environ["BABYLON_SQL_RECORD_QUERIES"] = _QUERY_LOG
_used_queries = record_query_use()
_full_stack: list[bool] = []


def _whole_suite(session: pytest.Session) -> bool:
    opt = session.config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", ""):
        return False
    if getattr(opt, "lf", False) or getattr(opt, "deselect", None):
        return False
    args = [a for a in session.config.args if not a.startswith("-")]
    root = str(session.config.rootpath)
    return all(os.path.normpath(os.path.join(root, a)) == os.path.join(root, "tests") for a in args)


def _unused_queries() -> list[str]:
    used = set(_used_queries)
    if os.path.exists(_QUERY_LOG):
        with open(_QUERY_LOG, encoding="utf-8") as log:
            used.update(line.strip() for line in log)
    every = set().union(*(all_query_names(d) for d in ("pg", "sqlite", "duckdb")))
    return sorted(every - used)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    # Checked when the whole suite ran green on a server with every extension
    # (PostGIS-only queries cannot run on the embedded server).
    if exitstatus == 0 and _full_stack and all(_full_stack) and _whole_suite(session):
        unused = _unused_queries()
        if unused:
            if tr is not None:
                tr.write_line(f"{len(unused)} query file(s) no test ran:", red=True)
                for name in unused:
                    tr.write_line(f"  {name}", red=True)
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        elif tr is not None:
            tr.write_line("every query file was run by some test")
    if os.path.exists(_QUERY_LOG):
        os.unlink(_QUERY_LOG)
    if IN_CI and _skipped:
        if tr is not None:
            tr.write_line(f"CI=true: {len(_skipped)} skipped test(s) fail the run:", red=True)
            for nodeid in _skipped:
                tr.write_line(f"  {nodeid}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@dataclass(frozen=True)
class PgServer:
    """The server under test and its template database."""

    admin_dsn: str
    template: str
    report: SchemaReport
    version_num: int

    @property
    def major(self) -> int:
        return self.version_num // 10000

    def has(self, extension: str) -> bool:
        return extension in self.report.available_extensions

    def dsn(self, database: str) -> str:
        return make_conninfo(self.admin_dsn, dbname=database)


def _admin_dsn() -> str:
    dsn = os.environ.get("BABYLON_TEST_DSN")
    if dsn:
        return dsn
    from babylon_sql.server.embedded import embedded_dsn

    return embedded_dsn("postgres")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    admin = _admin_dsn()
    template = f"babylon_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        create_database(conn, template)
    try:
        with psycopg.connect(make_conninfo(admin, dbname=template)) as conn:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SkippedObjectsWarning)
                report = apply_schema(conn)
            version = conn.info.server_version
        with psycopg.connect(admin, autocommit=True) as conn:
            mark_template(conn, template)
        _full_stack.append({"postgis", "vector"} <= set(report.available_extensions))
        yield PgServer(admin, template, report, version)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            mark_template(conn, template, template=False)
            drop_database(conn, template)


@pytest.fixture
def pg_dsn(pg_server: PgServer, pg_login: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """DSN of a fresh database holding the full schema, dropped after the test.

    Logged in as the server's superuser, or as the writer role when the test
    is marked ``as_writer`` (it then runs once as each; see ``pg_roles``).
    """
    template, user = pg_server.template, None
    if pg_login != "admin":
        pg_roles: PgRoles = request.getfixturevalue("pg_roles")
        template, user = pg_roles.template, getattr(pg_roles.names, pg_login)
    name = f"babylon_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        clone_database(conn, name, template)
    try:
        dsn = pg_server.dsn(name)
        yield dsn if user is None else make_conninfo(dsn, user=user)
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, name)


@pytest.fixture
def empty_pg_dsn(pg_server: PgServer) -> Iterator[str]:
    """DSN of a fresh empty database (no schema), dropped after the test."""
    name = f"babylon_e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        create_database(conn, name)
    try:
        yield pg_server.dsn(name)
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, name)


@pytest.fixture
def pg_pool(pg_dsn: str) -> Iterator[ConnectionPool[psycopg.Connection[Any]]]:
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        pg_dsn, min_size=1, max_size=4, configure=configure_connection, open=False
    )
    pool.open(wait=True)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def pg_runtime(pg_pool: ConnectionPool[psycopg.Connection[Any]]) -> Iterator[PostgresRuntime]:
    runtime = PostgresRuntime(pg_pool)
    try:
        yield runtime
    finally:
        runtime.close()


# -- a throw-away cluster of one's own, for tests that restart or terminate --


@dataclass(frozen=True)
class OwnCluster:
    """A Debian PostgreSQL 15 cluster started by ``scripts/pg-cluster`` for this run."""

    directory: str
    port: int
    admin_dsn: str

    def dsn(self, database: str) -> str:
        return make_conninfo(self.admin_dsn, dbname=database)

    def stop(self) -> None:
        _pg_cluster("stop", self.directory)

    def start(self) -> None:
        _pg_cluster("start", self.directory, str(self.port))

    def restart(self) -> None:
        self.stop()
        self.start()


_PG_CLUSTER = os.path.join(os.path.dirname(__file__), "..", "scripts", "pg-cluster")


def _pg_cluster(*args: str) -> str:
    import subprocess

    done = subprocess.run(
        ["bash", _PG_CLUSTER, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="session")
def own_cluster() -> Iterator[OwnCluster]:
    """A cluster this run may restart and whose backends it may terminate.

    Needs the Debian PostgreSQL 15 binaries (``scripts/test`` provisions them
    when run as root); port ``BABYLON_TEST_CLUSTER_PORT`` (default 55433).
    """
    import shutil
    import tempfile

    if not os.path.exists("/usr/lib/postgresql/15/bin/initdb"):
        pytest.skip(
            "needs /usr/lib/postgresql/15/bin (scripts/provision-pg) for a cluster of its own"
        )
    directory = tempfile.mkdtemp(prefix="pg-reliab-")
    os.chmod(directory, 0o755)
    port = int(os.environ.get("BABYLON_TEST_CLUSTER_PORT", "55433"))
    try:
        admin = _pg_cluster("start", directory, str(port))
        yield OwnCluster(directory, port, admin)
    finally:
        _pg_cluster("stop", directory)
        shutil.rmtree(directory, ignore_errors=True)


# --------------------------------------------------------------------------
# Least-privilege roles (ddl/pg/roles.sql). Roles are cluster-wide: each run
# creates its own, under a random prefix, and drops them at the end.


@dataclass(frozen=True)
class PgRoles:
    """This run's roles and a template database whose objects they own and use."""

    names: Roles
    template: str


@pytest.fixture(scope="session")
def pg_roles(pg_server: PgServer) -> Iterator[PgRoles]:
    names = roles(f"bt{uuid.uuid4().hex[:10]}")
    template = f"babylon_rtpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        clone_database(conn, template, pg_server.template)
    try:
        with psycopg.connect(pg_server.dsn(template)) as conn:
            create_roles(conn, names.prefix, login=True)
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            mark_template(conn, template)
        yield PgRoles(names, template)
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            mark_template(conn, template, template=False)
            drop_database(conn, template)
            drop_roles(conn, names.prefix)


@pytest.fixture
def pg_login(request: pytest.FixtureRequest) -> str:
    """Who ``pg_dsn`` logs in as: ``admin`` (the superuser) unless parametrised."""
    return str(getattr(request, "param", "admin"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests marked as_writer run twice: as the superuser and as the writer role.
    if metafunc.definition.get_closest_marker("as_writer") and "pg_login" in metafunc.fixturenames:
        metafunc.parametrize("pg_login", ["admin", "writer"], indirect=True)


@pytest.fixture
def pg_writer_runtime(pg_server: PgServer, pg_roles: PgRoles) -> Iterator[PostgresRuntime]:
    """A runtime logged in as the writer role, on a fresh clone of the roles template."""
    name = f"babylon_w_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        clone_database(conn, name, pg_roles.template)
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        make_conninfo(pg_server.dsn(name), user=pg_roles.names.writer),
        min_size=1,
        max_size=4,
        configure=configure_connection,
        open=False,
    )
    pool.open(wait=True)
    runtime = PostgresRuntime(pool)
    try:
        yield runtime
    finally:
        runtime.close()
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, name)
