"""A pool that heals: terminated backends, a restarted server, an outage.

Every test runs on a throw-away cluster of its own (``own_cluster``), so
restarts and terminations never disturb the shared server.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosql
import networkx as nx
import psycopg
import pytest
from conftest import OwnCluster
from reliability_writer import tick_events, tick_graph

from babylon_sql.errors import DatabaseConnectionError
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.connector import Connector
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import apply_schema

SQL = Path(__file__).parent / "sql" / "reliability"
PG = aiosql.from_path(SQL / "pg", "psycopg")
COMMON = aiosql.from_path(SQL / "common", "psycopg")


@pytest.fixture(scope="module")
def cluster_db(own_cluster: OwnCluster) -> Iterator[tuple[str, str]]:
    """(dsn, name) of a database with the schema on the module's own cluster."""
    name = f"reliab_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as conn:
        create_database(conn, name)
    dsn = own_cluster.dsn(name)
    with psycopg.connect(dsn) as conn:
        apply_schema(conn, warn=False)
    try:
        yield dsn, name
    finally:
        with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as conn:
            PG.terminate_other_backends(conn, dbname=name)
            drop_database(conn, name)


def _terminate_all(cluster: OwnCluster, name: str) -> int:
    with psycopg.connect(cluster.admin_dsn, autocommit=True) as conn:
        return int(PG.terminate_other_backends(conn, dbname=name))


def _same(a: nx.DiGraph[Any], b: nx.DiGraph[Any]) -> bool:
    return (
        list(a.nodes(data=True)) == list(b.nodes(data=True))
        and list(a.edges(data=True)) == list(b.edges(data=True))
        and a.graph == b.graph
    )


def _assert_whole(dsn: str, session: uuid.UUID, ticks: range) -> None:
    """Every tick of ``ticks`` is there, whole, equal to what was written; no orphans."""
    with psycopg.connect(dsn) as conn:
        audit = [row for row in COMMON.tick_audit(conn) if row[0] == session]
        assert COMMON.orphan_rows(conn) == 0
    assert [row[1] for row in audit] == list(ticks)
    for _, tick, node_count, edge_count, nodes, edges, events in audit:
        assert (nodes, edges, events) == (node_count, edge_count, len(tick_events(tick)))
        assert node_count == tick_graph(tick).number_of_nodes()


def test_terminating_every_backend_between_calls_fails_no_call(
    own_cluster: OwnCluster, cluster_db: tuple[str, str]
) -> None:
    dsn, name = cluster_db
    failures: list[BaseException] = []
    with PostgresRuntime(open_pool(dsn, min_size=2, max_size=4)) as rt:
        sid = rt.create_session("terminated between calls")
        for tick in range(12):
            assert _terminate_all(own_cluster, name) >= 1
            try:
                rt.persist_tick(tick, tick_graph(tick), tick_events(tick), session_id=sid)
                rt.log_tick(tick, wall_time_ms=1.0, session_id=sid)
                assert rt.latest_tick(session_id=sid) == tick
            except Exception as exc:  # counted: the figure must be 0
                failures.append(exc)
        # A call that is not idempotent gets a checked connection too.
        _terminate_all(own_cluster, name)
        rt.create_session("after a termination")
        for tick in range(12):
            assert _same(rt.hydrate_graph(tick, session_id=sid), tick_graph(tick))
    assert failures == []
    _assert_whole(dsn, sid, range(12))


def test_a_write_interrupted_during_the_call_is_retried_once(
    own_cluster: OwnCluster, cluster_db: tuple[str, str]
) -> None:
    dsn, name = cluster_db
    with PostgresRuntime(open_pool(dsn)) as rt:
        sid = rt.create_session("terminated during a call")
        rt.persist_tick(0, tick_graph(0), tick_events(0), session_id=sid)
        outcome: list[BaseException | None] = []

        def write() -> None:
            try:
                rt.persist_tick(1, tick_graph(1), tick_events(1), session_id=sid)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        with (
            psycopg.connect(own_cluster.admin_dsn, autocommit=True) as admin,
            psycopg.connect(dsn) as holder,
        ):
            PG.lock_session_row(holder, session_id=sid)  # the writer will wait for it
            writer = threading.Thread(target=write)
            writer.start()
            first = _wait_for_lock_waiter(admin, name)
            assert PG.terminate_backend(admin, pid=first)
            # the retry, on a new backend
            second = _wait_for_lock_waiter(admin, name, other_than=first)
            assert second != first
            holder.rollback()
        writer.join(30)
        assert outcome == [None]
        assert _same(rt.hydrate_graph(1, session_id=sid), tick_graph(1))
        assert _same(rt.hydrate_graph(0, session_id=sid), tick_graph(0))
    _assert_whole(dsn, sid, range(2))


def _wait_for_lock_waiter(
    admin: psycopg.Connection[Any], name: str, *, other_than: int | None = None
) -> int:
    # A terminated backend can still show as the waiter until its process
    # exits: wait for one that is not ``other_than``.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pid = PG.lock_waiter(admin, dbname=name)
        if pid is not None and int(pid) != other_than:
            return int(pid)
        time.sleep(0.02)
    raise AssertionError("no backend waited for the session lock")


def test_a_lost_connection_is_retried_once_only_when_idempotent(
    own_cluster: OwnCluster, cluster_db: tuple[str, str]
) -> None:
    dsn, _name = cluster_db
    connector = Connector(open_pool(dsn))
    calls = 0

    def lose_the_connection() -> None:
        nonlocal calls
        calls += 1
        with connector.transaction() as conn:
            with psycopg.connect(own_cluster.admin_dsn, autocommit=True) as admin:
                PG.terminate_backend(admin, pid=conn.info.backend_pid)
            COMMON.orphan_rows(conn)

    try:
        with pytest.raises(DatabaseConnectionError) as lost:
            connector.run(lose_the_connection)
        assert calls == 1
        assert lost.value.lost
        assert f"port {own_cluster.port}" in str(lost.value)
        assert own_cluster.directory in str(lost.value)
        assert "terminat" in lost.value.reason
        with pytest.raises(DatabaseConnectionError):
            connector.run(lose_the_connection, idempotent=True)
        assert calls == 3  # once more, then the typed error
        assert connector.run(lambda: 7, idempotent=True) == 7
    finally:
        connector.close()


def test_a_server_restart_fails_no_call_and_loses_no_row(
    own_cluster: OwnCluster, cluster_db: tuple[str, str]
) -> None:
    dsn, _ = cluster_db
    failures: list[BaseException] = []
    with PostgresRuntime(open_pool(dsn, min_size=2, max_size=4)) as rt:
        sid = rt.create_session("restarted")
        for tick in range(5):
            rt.persist_tick(tick, tick_graph(tick), tick_events(tick), session_id=sid)
        own_cluster.restart()
        for tick in range(5, 10):
            try:
                rt.persist_tick(tick, tick_graph(tick), tick_events(tick), session_id=sid)
            except Exception as exc:  # counted: the figure must be 0
                failures.append(exc)
        own_cluster.restart()
        for tick in range(10):
            assert _same(rt.hydrate_graph(tick, session_id=sid), tick_graph(tick))
    assert failures == []
    _assert_whole(dsn, sid, range(10))


def test_an_outage_fails_fast_naming_host_port_and_reason(
    own_cluster: OwnCluster, cluster_db: tuple[str, str]
) -> None:
    dsn, _ = cluster_db
    with PostgresRuntime(open_pool(dsn)) as rt:
        sid = rt.create_session("outage")
        rt.persist_tick(0, tick_graph(0), tick_events(0), session_id=sid)
        own_cluster.stop()
        try:
            started = time.monotonic()
            with pytest.raises(DatabaseConnectionError) as down:
                rt.persist_tick(1, tick_graph(1), tick_events(1), session_id=sid)
            assert time.monotonic() - started < 10
            assert not down.value.lost
            message = str(down.value)
            assert own_cluster.directory in message
            assert str(own_cluster.port) in message
            assert "No such file or directory" in message
            started = time.monotonic()
            with pytest.raises(DatabaseConnectionError, match="cannot connect"):
                open_pool(dsn)
            assert time.monotonic() - started < 5
        finally:
            own_cluster.start()
        # The pool heals once the server is back.
        rt.persist_tick(1, tick_graph(1), tick_events(1), session_id=sid)
        assert _same(rt.hydrate_graph(0, session_id=sid), tick_graph(0))
    _assert_whole(dsn, sid, range(2))
