"""A tick's node and edge rows on PostgreSQL: keyed by graph order, read back
in order without a sort, and checked against their header when read, so rows
edited by hand are refused instead of giving a different graph."""

from __future__ import annotations

import gc
import json
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import aiosql
import networkx as nx
import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from babylon_sql import PostgresRuntime, RuntimeDatabase
from babylon_sql.catalogue import queries
from babylon_sql.errors import SerializationError, SnapshotMismatchError
from babylon_sql.runtime import postgres
from babylon_sql.runtime.graph import ENCODE_ROWS
from babylon_sql.runtime.postgres import STREAM_ROWS, _encode_while
from babylon_sql.server.pool import open_pool

PG = aiosql.from_path(Path(__file__).parent / "sql" / "graph_rows" / "pg_graph_rows.sql", "psycopg")
LITE = aiosql.from_path(
    Path(__file__).parent / "sql" / "graph_rows" / "sqlite_graph_rows.sql", "sqlite3"
)


def _graph(nodes: int = 30) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph(year=3)
    ids: list[Any] = [i if i % 3 == 0 else f"n{i}" for i in range(nodes)]
    for i, node in enumerate(ids):
        g.add_node(node, wealth=i / 7, label=f"node {i}")
    for i in range(nodes):
        g.add_edge(ids[i], ids[(i * 7 + 1) % nodes], w=i)
    return g


def _plan_nodes(plan: Any) -> list[str]:
    found = [plan["Node Type"]]
    for child in plan.get("Plans", ()):
        found += _plan_nodes(child)
    return found


def test_a_tick_is_read_in_graph_order_without_a_sort(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("order")
    g = _graph(200)
    for tick in range(6):
        pg_runtime.persist_tick(tick, g, session_id=sid)
    pg_runtime.persist_tick(2, g, session_id=sid)  # generation 1
    graph_q = queries("pg").runtime.graph
    with pg_runtime.pool.connection() as conn, conn.transaction():
        PG.pg_analyze_graph(conn)
        PG.pg_forbid_sort(conn)
        for query in (graph_q.select_nodes, graph_q.select_edges):
            stmt = sql.SQL(PG.pg_plan.sql).format(query=sql.SQL(query.sql.rstrip().rstrip(";")))
            (plan,) = conn.execute(stmt, {"session_id": sid, "tick": 2, "generation": 1}).fetchone()
            kinds = _plan_nodes((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
            assert "Sort" not in kinds, kinds
    got = pg_runtime.hydrate_graph(2, session_id=sid)
    assert list(got.nodes) == list(g.nodes)
    assert list(got.edges) == list(g.edges)


def test_new_sessions_sort_after_older_ones(pg_runtime: PostgresRuntime) -> None:
    # Session ids are time-ordered (UUID version 7): the running session's
    # ticks append at the right edge of node_state's and edge_state's keys,
    # whatever sessions the tables already hold.
    start_ms = time.time_ns() // 1_000_000
    ids = []
    for i in range(3):
        ids.append(pg_runtime.create_session(f"s{i}"))
        time.sleep(0.002)  # a millisecond apart at least: ids of one ms are random
    ids.append(pg_runtime.create_session("original form", {"x": 1}, {}, 7))
    end_ms = time.time_ns() // 1_000_000
    assert [sid.version for sid in ids] == [7, 7, 7, 7]
    assert ids == sorted(ids)
    for sid in ids:
        assert start_ms - 1 <= sid.int >> 80 <= end_ms + 1  # the first 48 bits: Unix ms


@pytest.mark.parametrize("edit", ["delete node", "duplicate node", "delete edge", "duplicate edge"])
def test_rows_edited_by_hand_are_refused(pg_runtime: PostgresRuntime, edit: str) -> None:
    sid = pg_runtime.create_session("edited")
    g = _graph()
    pg_runtime.persist_tick(1, g, session_id=sid)
    pg_runtime.persist_tick(2, g, session_id=sid)
    u, v = next(iter(g.edges))
    key = {"session_id": sid, "tick": 1}
    with pg_runtime.pool.connection() as conn:
        if edit == "delete node":
            PG.pg_delete_node(conn, node_id="n1", **key)
        elif edit == "duplicate node":
            PG.pg_duplicate_node(conn, node_id="n1", **key)
        elif edit == "delete edge":
            PG.pg_delete_edge(conn, source_id=str(u), target_id=str(v), **key)
        else:
            PG.pg_duplicate_edge(conn, source_id=str(u), target_id=str(v), **key)
    with pytest.raises(SnapshotMismatchError, match=f"tick 1 of session {sid}"):
        pg_runtime.hydrate_graph(1, session_id=sid)
    # The other tick is untouched and still reads back.
    assert nx.utils.graphs_equal(pg_runtime.hydrate_graph(2, session_id=sid), g)
    # Persisting the tick again mends it.
    pg_runtime.persist_tick(1, g, session_id=sid)
    assert nx.utils.graphs_equal(pg_runtime.hydrate_graph(1, session_id=sid), g)


def _batched_graph(nodes: int) -> nx.DiGraph[Any]:
    """Nodes and edges over several writer and reader batches, every
    document holding a None (so each batch's nulls are counted)."""
    g: nx.DiGraph[Any] = nx.DiGraph()
    for i in range(nodes):
        g.add_node(f"n{i}" if i % 4 else i, wealth=i / 3, parent=None, tags=[i, None])
    for i in range(nodes):
        for step in (1, 7, 31):
            g.add_edge(f"n{i}" if i % 4 else i, f"n{(i * step + 5) % nodes}", w=i, note=None)
    return g


@pytest.mark.parametrize("where", ["node", "edge"])
def test_a_bad_value_in_a_later_batch_writes_nothing(
    pg_runtime: PostgresRuntime, where: str
) -> None:
    """Rows are encoded and read in batches (ENCODE_ROWS, STREAM_ROWS): a tick
    spanning several of each reads back whole and in order; a NaN (an
    infinity) in rows of two writer batches is refused by the first such row
    in graph order, and neither a replace nor a new tick writes anything."""
    sid = pg_runtime.create_session("batches")
    nodes = 3 * ENCODE_ROWS + 7
    g = _batched_graph(nodes)
    assert g.number_of_edges() > 3 * STREAM_ROWS
    pg_runtime.persist_tick(1, g, session_id=sid)
    got = pg_runtime.hydrate_graph(1, session_id=sid)
    assert nx.utils.graphs_equal(got, g)
    assert list(got.edges) == list(g.edges)
    # Two bad values, in the last batch and in the second: the second's
    # row is named, as the first bad row in graph order.
    bad = g.copy()
    if where == "node":
        ids = list(bad)
        for node in (ids[-2], ids[ENCODE_ROWS + 3]):
            bad.nodes[node]["wealth"] = float("nan")
        match = re.escape(f"node {ids[ENCODE_ROWS + 3]!r}:")
    else:
        edges = list(bad.edges)
        for u, v in (edges[-3], edges[ENCODE_ROWS + 3]):
            bad.edges[u, v]["w"] = float("inf")
        u, v = edges[ENCODE_ROWS + 3]
        match = re.escape(f"edge {u!r}->{v!r}:")
    with pytest.raises(SerializationError, match=match):
        pg_runtime.persist_tick(1, bad, session_id=sid)
    with pytest.raises(SerializationError, match=match):
        pg_runtime.persist_tick(2, bad, session_id=sid)
    assert pg_runtime.latest_tick(session_id=sid) == 1
    again = pg_runtime.hydrate_graph(1, session_id=sid)
    assert nx.utils.graphs_equal(again, g)
    assert list(again.edges) == list(g.edges)


def _wait_for_a_lock_waiter(conn: psycopg.Connection[Any]) -> None:
    deadline = time.monotonic() + 10
    while PG.pg_lock_waiters(conn) == 0:
        assert time.monotonic() < deadline, "the replace never waited on its delete"
        time.sleep(0.02)


def test_a_replace_whose_delete_waits_writes_the_whole_tick(
    pg_runtime: PostgresRuntime, pg_dsn: str
) -> None:
    """While the delete of a replaced tick's rows waits (here on a row lock
    another transaction holds), the writer encodes rows ahead; once the
    delete is done they are copied first, then the rest: the tick reads
    back exactly as given."""
    sid = pg_runtime.create_session("delete waits")
    g = _batched_graph(3 * ENCODE_ROWS + 7)
    pg_runtime.persist_tick(1, g, session_id=sid)
    new = g.copy()
    for node, attrs in new.nodes(data=True):
        attrs["wealth"] = f"{node} replaced"
    with psycopg.connect(pg_dsn) as other, ThreadPoolExecutor(1) as pool:
        with other.transaction():
            assert PG.pg_lock_old_edge(other, session_id=sid, tick=1) is not None
            replace = pool.submit(pg_runtime.persist_tick, 1, new, session_id=sid)
            _wait_for_a_lock_waiter(other)
            # The old write is still whole while the replace waits.
            assert nx.utils.graphs_equal(pg_runtime.hydrate_graph(1, session_id=sid), g)
        replace.result(timeout=60)
    got = pg_runtime.hydrate_graph(1, session_id=sid)
    assert nx.utils.graphs_equal(got, new)
    assert list(got.edges) == list(new.edges)


def test_a_replace_whose_delete_fails_keeps_the_old_write(pg_dsn: str) -> None:
    """A delete that fails (a lock not granted in time) fails the replace
    with the server's error, after the rows encoded meanwhile are dropped:
    the tick keeps its previous write and the connection serves again."""
    pool = open_pool(make_conninfo(pg_dsn, options="-c lock_timeout=300"), min_size=1, max_size=1)
    try:
        runtime = PostgresRuntime(pool)
        sid = runtime.create_session("delete fails")
        g = _batched_graph(3 * ENCODE_ROWS + 7)
        runtime.persist_tick(1, g, session_id=sid)
        new = nx.relabel_nodes(g, {node: f"{node}-new" for node in g})
        with psycopg.connect(pg_dsn) as other, other.transaction():
            PG.pg_lock_old_edge(other, session_id=sid, tick=1)
            with pytest.raises(psycopg.errors.LockNotAvailable):
                runtime.persist_tick(1, new, session_id=sid)
        got = runtime.hydrate_graph(1, session_id=sid)
        assert nx.utils.graphs_equal(got, g)
        assert list(got.edges) == list(g.edges)
        runtime.persist_tick(1, new, session_id=sid)
        assert nx.utils.graphs_equal(runtime.hydrate_graph(1, session_id=sid), new)
    finally:
        pool.close()


def _batches(name: str, count: int) -> Iterator[list[Any]]:
    """``count`` batches of one row each, a ten-character document per row."""
    for i in range(count):
        yield [(name, i, f"{name}{i:09d}"[-10:])]


def test_rows_are_encoded_ahead_up_to_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "AHEAD_CHARS", 100)
    nodes, edges = _batches("n", 4), _batches("e", 50)
    taken = _encode_while(lambda: time.sleep(0.5), [nodes, edges])
    # Every node batch, then edge batches until 100 characters are held.
    assert [len(batches) for batches in taken] == [4, 6]
    assert [row for batches in taken[1] for row in batches] == [
        row for batches in _batches("e", 6) for row in batches
    ]
    # The stream goes on where the taking stopped.
    assert next(edges) == [("e", 6, "e000000006")]
    assert len(list(edges)) == 50 - 7


def test_rows_are_encoded_ahead_only_while_the_work_runs() -> None:
    go = threading.Event()

    def nodes() -> Iterator[list[Any]]:
        # The work ends while the fourth batch is being encoded.
        for i, batch in enumerate(_batches("n", 1000)):
            if i == 3:
                go.set()
                time.sleep(0.5)
            yield batch

    stream, edges = nodes(), _batches("e", 1000)
    taken = _encode_while(lambda: go.wait(10), [stream, edges])
    # That batch is kept; no other is taken once the work is over, and the
    # streams go on where the taking stopped.
    assert taken == [list(_batches("n", 4)), []]
    assert next(stream) == [("n", 4, "n000000004")]
    assert next(edges) == [("e", 0, "e000000000")]


def test_the_work_failing_is_raised() -> None:
    def work() -> None:
        raise LookupError("the delete failed")

    with pytest.raises(LookupError, match="the delete failed"):
        _encode_while(work, [_batches("n", 3), _batches("e", 3)])


def test_a_row_failing_is_raised_once_the_work_is_over() -> None:
    done = threading.Event()

    def work() -> None:
        time.sleep(0.3)
        done.set()

    def failing() -> Iterator[list[Any]]:
        yield [("n", 0, "0123456789")]
        raise ValueError("row 1 cannot be encoded")

    with pytest.raises(ValueError, match="row 1"):
        _encode_while(work, [failing(), _batches("e", 3)])
    # The connection is never left to a thread that is still using it.
    assert done.is_set()


def test_sqlite_chunks_edited_by_hand_are_refused() -> None:
    g = _graph()
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(1, g)
        LITE.sqlite_drop_first_node(db.connection, session_id=db.run_id, tick=1)
        with pytest.raises(SnapshotMismatchError, match="tick 1 of session"):
            db.hydrate_graph(1)


def test_hydrate_reads_one_snapshot_while_the_tick_is_replaced(
    pg_runtime: PostgresRuntime, pg_dsn: str
) -> None:
    """A replace that commits between a hydrate's statements is not seen by
    it: the header and the rows come from the same write."""
    sid = pg_runtime.create_session("snapshot")
    old, new = _graph(30), _graph(40)
    pg_runtime.persist_tick(1, old, session_id=sid)
    pool = open_pool(pg_dsn, min_size=1, max_size=1)
    writer = PostgresRuntime(pool)
    started, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def replace() -> None:
        try:
            started.wait(30)
            writer.persist_tick(1, new, session_id=sid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            release.set()

    thread = threading.Thread(target=replace)
    thread.start()
    read_rows = pg_runtime._read_graph_rows  # the rows are read after the header

    def read_after_replace(conn: psycopg.Connection[Any], builder: Any, params: Any) -> None:
        started.set()
        release.wait(30)
        read_rows(conn, builder, params)

    pg_runtime._read_graph_rows = read_after_replace  # type: ignore[method-assign]
    try:
        got = pg_runtime.hydrate_graph(1, session_id=sid)
    finally:
        del pg_runtime._read_graph_rows
        thread.join()
        writer.close()
        pool.close()
    assert not errors
    assert nx.utils.graphs_equal(got, old)
    assert nx.utils.graphs_equal(pg_runtime.hydrate_graph(1, session_id=sid), new)


def test_hydrate_leaves_the_collector_as_it_found_it(pg_runtime: PostgresRuntime) -> None:
    """The decoded graph goes straight to the oldest generation (no young
    collection scans it again), and an application's frozen objects stay frozen."""
    sid = pg_runtime.create_session("gc")
    pg_runtime.persist_tick(0, _graph(300), session_id=sid)
    assert gc.isenabled()
    gc.collect()
    got = pg_runtime.hydrate_graph(0, session_id=sid)
    assert gc.isenabled()
    assert gc.get_count()[0] < 100  # the graph's ~2,000 containers are not young
    assert len(got) == 300
    kept = [{"frozen": i} for i in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        pg_runtime.hydrate_graph(0, session_id=sid)
        # Still frozen (a few frozen objects may have been freed meanwhile),
        # and nothing of the hydrate was frozen with them.
        assert 0 < gc.get_freeze_count() <= frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
    del kept


def test_a_failed_hydrate_gives_its_connection_back_writable(
    pg_runtime: PostgresRuntime, pg_dsn: str
) -> None:
    sid = pg_runtime.create_session("writable")
    g = _graph()
    pg_runtime.persist_tick(1, g, session_id=sid)
    with pg_runtime.pool.connection() as conn:
        PG.pg_delete_node(conn, session_id=sid, tick=1, node_id="n1")
    pool = open_pool(pg_dsn, min_size=1, max_size=1)
    try:
        runtime = PostgresRuntime(pool)
        with pool.connection() as conn:
            before = conn.read_only, conn.isolation_level
        with pytest.raises(SnapshotMismatchError):
            runtime.hydrate_graph(1, session_id=sid)
        with pool.connection() as conn:
            assert (conn.read_only, conn.isolation_level) == before
        runtime.persist_tick(1, g, session_id=sid)  # the one connection writes again
        assert nx.utils.graphs_equal(runtime.hydrate_graph(1, session_id=sid), g)
    finally:
        pool.close()
