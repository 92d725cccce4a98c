"""Benchmark of persist_tick and hydrate_graph against their floors, on PostgreSQL and SQLite.

    .venv/bin/python scripts/bench_runtime.py [--scale 10k[,100k]] [--repeat 5]
        [--naive-repeat N] [--backends pg,sqlite-file,sqlite-memory] [--no-warm]

``--scale 10k`` is 10,000 nodes + 50,000 edges, ``100k`` is 100,000 + 500,000
(any ``N`` or ``Nk``: N nodes and 5N edges), about 10 attributes each
(numbers, text, booleans, a list, a nested dict, a None). Given two scales,
the run also prints how each time grew (linear: 10x the rows, at most 11x
the time), beside the growth of two controls without a database: reading
every attribute value of the graph once, and ``graph.copy()``, which say how
this machine's memory treats a graph ten times the size. Every operation
runs ``--repeat`` times, the operations of a backend interleaved round by
round so that a change in the machine's load hits them all alike; figures
are medians.

Per backend, in the same run:

- ours: ``persist_tick`` of a new tick, of a tick again (replace), and
  ``hydrate_graph``;
- the persist floor: the same rows, encoded once with a plain
  ``orjson.dumps`` per document, written by binary COPY (PostgreSQL) or
  ``executemany`` (SQLite) into tables with the same columns and primary
  keys, in one transaction; also that write alone, of rows encoded
  beforehand ("COPY only");
- the hydrate floor: the same rows fetched (the runtime's own queries on
  PostgreSQL; on SQLite, which stores chunks, the persist floor's rows, read
  the same way) and every document decoded once with ``orjson.loads``, no
  graph built;
- naive: ``json.dumps`` per document and one ``INSERT`` per node and per
  edge in one transaction (SQLite: into tables shaped like the row-per-node
  ``node_state``/``edge_state`` of schema version 2); read back with a plain
  SELECT, ``json.loads`` and ``DiGraph.add_node`` / ``add_edge`` per row.

Each figure is printed as wall time, client CPU (with the kernel's part of
it: page faults for fresh memory, mostly) and (PostgreSQL on this machine)
the server backend's CPU, read from ``/proc``, which says where the time
goes; each hydrate round is printed too. Peak Python memory
(``tracemalloc``) of one persist and one hydrate is printed beside the size
of the encoded rows; for hydrate the graph it returns is counted apart (it
is the result, not working memory).
Targets are checked at the end.

Every figure starts alike: the kernel has written out the dirty pages of the
figures before it (``os.sync``), 6x the encoded rows of fresh memory have
just been touched and freed (``--no-warm``: not), and no earlier figure's
result is still held. All of it happens before the clock starts.

PostgreSQL: BABYLON_DSN if set, else the embedded server; a fresh database is
created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosql
import benchjson  # before argparse: takes --json PATH (scripts/benchjson.py)
import networkx as nx
import orjson
import psycopg
from benchexplain import median_server_seconds
from psycopg.conninfo import make_conninfo

from babylon_sql import PostgresRuntime, RuntimeDatabase
from babylon_sql.catalogue import copy_types, named_row, queries
from babylon_sql.input.codec import gc_paused
from babylon_sql.runtime.graph import GraphEncoder
from babylon_sql.runtime.postgres import STREAM_ROWS
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import SkippedObjectsWarning

HERE = Path(__file__).parent
PGQ = aiosql.from_path(HERE / "sql" / "bench_runtime", "psycopg")
LITEQ = aiosql.from_path(HERE / "sql" / "bench_runtime_sqlite", "sqlite3")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: Ticks persisted before the measured rounds (see bench_postgres).
WARM_TICKS = 8


def make_graph(nodes: int, edges: int, seed: int = 7) -> nx.DiGraph[Any]:
    rng = random.Random(seed)
    g: nx.DiGraph[Any] = nx.DiGraph(name="bench", economy={"gdp": 1.0e12})
    kinds = ["worker", "capitalist", "territory", "organization"]
    for i in range(nodes):
        g.add_node(
            f"node-{i}",
            node_type=kinds[i % 4],
            wealth=rng.random() * 1000,
            population=rng.randrange(10**6),
            consciousness=rng.random(),
            organized=rng.random() < 0.3,
            label=f"Node {i}",
            tags=["a", "b"] if i % 2 else ["c"],
            position={"x": rng.random(), "y": rng.random()},
            parent=None,
            rate=0.25,
        )
    count = 0  # DiGraph.number_of_edges() counts by walking every node
    while count < edges:
        u, v = rng.randrange(nodes), rng.randrange(nodes)
        if u != v:
            count += not g.has_edge(f"node-{u}", f"node-{v}")
            g.add_edge(
                f"node-{u}",
                f"node-{v}",
                edge_type="exploitation",
                weight=rng.random(),
                flow=rng.random() * 10,
                capacity=100,
                active=True,
                since=rng.randrange(100),
                label="e",
                history=[1.0, 2.0],
                meta={"k": 1},
                note=None,
            )
    return g


# -- measuring ----------------------------------------------------------------


def backend_cpu(pid: int | None) -> float | None:
    """CPU seconds a local server process has used, or ``None`` if not readable."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


#: The kernel's page size: ``Figures.warm_memory`` writes one byte in each.
PAGE = resource.getpagesize()
#: Fresh memory touched before each figure, as a multiple of the encoded
#: rows: the largest working set of any figure (the naive reader's graph and
#: its rows) is about 5x the encoded rows.
WARM_FACTOR = 6


@dataclass
class Sample:
    wall: float
    client: float  # user + system CPU of this process
    server: float | None
    kernel: float  # of client: system CPU (page faults for fresh memory, mostly)
    wal: int | None = None  # bytes of WAL the server wrote (PostgreSQL)


@dataclass(frozen=True)
class Reads:
    """The hydrate's two reads, seconds (medians): the server's execution of
    ``select_nodes`` and ``select_edges`` as ``EXPLAIN ANALYZE`` reports it,
    and the client's fetch of both results in the runtime's batches, no decode."""

    nodes: float
    edges: float
    fetch: float

    @property
    def server(self) -> float:
        return self.nodes + self.edges


@dataclass
class Figures:
    """Every sample of every operation of one backend at one scale."""

    samples: dict[str, list[Sample]] = field(default_factory=dict)
    memory: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: PostgreSQL: reads the server's WAL insert position (bytes).
    wal_position: Callable[[], int] | None = None
    #: Fresh memory touched and freed before each figure (0: none).
    warm_bytes: int = 0
    warm_times: list[float] = field(default_factory=list)
    #: PostgreSQL: the hydrate's reads timed on their own (:func:`measure_reads`).
    reads: Reads | None = None

    def warm_memory(self) -> None:
        """Touch ``warm_bytes`` of fresh memory, one write a page, and free it.

        On this virtual machine a page the guest has not used lately costs
        the host a fault of its own on first touch (the kernel's page
        zeroing is half the client's kernel samples under ``perf``, called
        from Python's allocator), while a page freed a moment ago is cheap.
        Without this, whichever figure ran after the server's writes built
        its objects in cold pages (the hydrate: 0.9-2.0 s of kernel time a
        round at 100K) and the one after it in the pages just freed (the
        floor: 0.3 s). Every figure now starts alike: it is the code that
        is measured, not its place in the round.
        """
        if not self.warm_bytes:
            return
        start = time.perf_counter()
        block = bytearray(self.warm_bytes)
        block[::PAGE] = bytes(-(-self.warm_bytes // PAGE))  # one zero byte a page
        del block
        self.warm_times.append(time.perf_counter() - start)

    def run(
        self,
        name: str,
        fn: Callable[[], Any],
        pid: int | None = None,
        check: Callable[[Any], None] | None = None,
    ) -> None:
        """Time one call. Its result is handed to ``check`` (outside the
        figure) and dropped: no figure runs while an earlier one's result
        (a 600 MB graph at 100K) still holds memory the next must fault in
        afresh, as the naive reader's and the floors' results never do.

        Before the clock starts, the kernel writes out the dirty pages the
        earlier figures left (``os.sync``): with ``fsync=off`` the server's
        writes sit in the page cache, and the kernel's flusher would write
        them back on this machine's second core during whichever figure
        came next. Then :meth:`warm_memory` runs."""
        os.sync()
        self.warm_memory()
        gc.collect()
        position = self.wal_position
        wal0 = position() if position else None
        server0 = backend_cpu(pid)
        sys0 = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        cpu0, wall0 = time.process_time(), time.perf_counter()
        result = fn()
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime - sys0
        server1 = backend_cpu(pid)
        server = None if server0 is None or server1 is None else server1 - server0
        wal = position() - wal0 if position and wal0 is not None else None
        self.samples.setdefault(name, []).append(Sample(wall, cpu, server, kernel, wal))
        if check is not None:
            check(result)
        del result

    def wall(self, name: str) -> float:
        return statistics.median(s.wall for s in self.samples[name])

    def client(self, name: str) -> float:
        return statistics.median(s.client for s in self.samples[name])

    def kernel(self, name: str) -> float:
        return statistics.median(s.kernel for s in self.samples[name])

    def rounds_of(self, name: str) -> str:
        """Each round's wall time and, in brackets, its system CPU."""
        return ", ".join(f"{s.wall:.2f} ({s.kernel:.2f})" for s in self.samples[name])

    def server(self, name: str) -> float | None:
        values = [s.server for s in self.samples[name]]
        if any(v is None for v in values):
            return None
        return statistics.median(v for v in values if v is not None)

    def wal(self, name: str) -> float | None:
        """Median MB of WAL written, or ``None`` where not measured."""
        values = [s.wal for s in self.samples[name]]
        if any(v is None for v in values):
            return None
        return statistics.median(v for v in values if v is not None) / 1e6

    def measure_memory(self, name: str, fn: Callable[[], Any]) -> None:
        """Peak traced memory of one call, and how much of it the result keeps."""
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            result = fn()
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        del result
        self.memory[name] = (peak - before, current - before)


def rounds(repeat: int) -> Iterator[int]:
    for i in range(repeat):
        print(f"    round {i + 1}/{repeat}", end="\r", flush=True)
        yield i
    print(" " * 30, end="\r")


def machine_controls(graph: nx.DiGraph[Any], repeat: int, warm: int) -> Figures:
    """What this machine's memory makes of a graph this size, without a
    database: reading every attribute value once (what any encoder must do)
    and ``graph.copy()`` (new adjacency and attribute dicts, what any reader
    must build). Their growth from one scale to the next is the floor of
    any code that touches the graph, ours included."""
    fig = Figures(warm_bytes=warm)
    node_docs, adjacency = vars(graph)["_node"].values(), vars(graph)["_succ"].values()

    def walk() -> int:
        values = sum(map(len, map(list, map(dict.values, node_docs))))
        for targets in adjacency:
            values += sum(map(len, map(list, map(dict.values, targets.values()))))
        return values

    for _ in rounds(repeat):
        fig.run("walk", walk)
        with gc_paused():
            fig.run("copy", graph.copy)
    return fig


# -- the rows every contender writes ------------------------------------------


@dataclass
class Rows:
    """The graph's rows, fields ready, documents as dicts and as encoded text."""

    nodes: list[tuple[Any, ...]]  # (node_id, ord, node_ref, node_type, attributes text)
    edges: list[tuple[Any, ...]]
    node_attrs: list[dict[str, Any]]
    edge_attrs: list[dict[str, Any]]
    encoded_bytes: int

    @classmethod
    def of(cls, graph: nx.DiGraph[Any]) -> Rows:
        encoder = GraphEncoder(graph)
        nodes, edges = list(encoder.nodes()), list(encoder.edges())
        size = sum(
            len(value.encode())
            if isinstance(value, str)
            else len(value)
            if isinstance(value, bytes)
            else 4
            for row in (*nodes, *edges)
            for value in row
            if value is not None
        )
        return cls(
            nodes,
            edges,
            [attrs for _, attrs in graph.nodes(data=True)],
            [attrs for _, _, attrs in graph.edges(data=True)],
            size,
        )

    def plain_nodes(self, *prefix: Any) -> Iterator[tuple[Any, ...]]:
        """Node rows, each document encoded here with one plain ``orjson.dumps``."""
        dumps = orjson.dumps
        for (node_id, ord_, ref, kind, _), attrs in zip(self.nodes, self.node_attrs, strict=True):
            yield (*prefix, node_id, ord_, ref, kind, dumps(attrs).decode())

    def plain_edges(self, *prefix: Any) -> Iterator[tuple[Any, ...]]:
        dumps = orjson.dumps
        for (s, t, ord_, sref, tref, kind, _), attrs in zip(
            self.edges, self.edge_attrs, strict=True
        ):
            yield (*prefix, s, t, ord_, sref, tref, kind, dumps(attrs).decode())


#: The JSON columns of select_nodes (node_ref, attributes) and select_edges
#: (source_ref, target_ref, attributes).
NODE_DOCS, EDGE_DOCS = (1, 2), (1, 3, 4)


def same_as(graph: nx.DiGraph[Any]) -> Callable[[Any], None]:
    """A check that a hydrate gave back ``graph``, edge order included."""

    def check(got: Any) -> None:
        assert nx.utils.graphs_equal(got, graph), "hydrate must return the persisted graph"
        assert list(got.edges) == list(graph.edges), "hydrate must keep the edge order"

    return check


def fetch_batches(cursor: Any, size: int = STREAM_ROWS) -> Iterator[list[Any]]:
    """The rows of an executed cursor (psycopg or sqlite3), ``size`` at a time."""
    while rows := cursor.fetchmany(size):
        yield rows


def fetch_and_decode(cursors: list[tuple[Any, tuple[int, ...]]]) -> list[Any]:
    """The hydrate floor: the rows of executed cursors fetched in batches and
    every JSON document in them decoded once (the given columns; NULL id
    references skipped) into one list; no graph. As cheap as the runtime
    knows how: batches of its own size (STREAM_ROWS), and the collector
    paused as in hydrate_graph."""
    loads = orjson.loads
    decoded: list[Any] = []
    with gc_paused():
        for cursor, documents in cursors:
            for rows in fetch_batches(cursor):
                columns = list(zip(*rows, strict=True))
                for i in documents:
                    decoded.extend(map(loads, filter(None, columns[i])))
    return decoded


def measure_reads(conn: psycopg.Connection[Any], params: dict[str, Any], repeat: int) -> Reads:
    """The hydrate's two reads of one tick (:class:`Reads`), medians of ``repeat``."""
    select = queries("pg").runtime.graph
    both = (select.select_nodes, select.select_edges)

    def fetch() -> float:
        start = time.perf_counter()
        for query in both:
            for _ in fetch_batches(conn.execute(query.sql, params)):
                pass
        return time.perf_counter() - start

    nodes, edges = (median_server_seconds(conn, query, params, repeat) for query in both)
    return Reads(nodes, edges, statistics.median(fetch() for _ in range(repeat)))


def naive_hydrate(nodes: Any, edges: Any) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    for node_id, attrs in nodes:
        g.add_node(node_id, **json.loads(attrs))
    for s, t, attrs in edges:
        g.add_edge(s, t, **json.loads(attrs))
    return g


# -- PostgreSQL ---------------------------------------------------------------


def bench_postgres(
    graph: nx.DiGraph[Any], rows: Rows, repeat: int, naive_repeat: int, warm: int
) -> Figures:
    admin = resolve_dsn()
    name = f"babylon_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        create_database(conn, name)
    # One connection: every operation runs on the same server backend, whose
    # CPU time /proc gives.
    pool = open_pool(make_conninfo(admin, dbname=name), min_size=1, max_size=1)
    fig = Figures(warm_bytes=warm)
    try:
        runtime = PostgresRuntime(pool)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedObjectsWarning)
            runtime.init_schema()
        earlier = runtime.create_session("bench-earlier")
        sid = runtime.create_session("bench")
        naive_sid = runtime.create_session("bench-naive")
        below = uuid.UUID("00000000-0000-7000-8000-000000000000")
        with pool.connection() as conn:
            PGQ.insert_session(conn, session_id=below, name="bench-below")
            PGQ.floor_tables(conn)
            PGQ.quiet_tables(conn)
            pid: int | None = conn.info.backend_pid
            version = conn.info.server_version // 10000
        if backend_cpu(pid) is None:
            pid = None  # a remote server: wall and client CPU only
        select = queries("pg").runtime.graph
        ticks = iter(range(1, 1_000_000))

        def floor_copy(node_rows: Iterator[Any], edge_rows: Iterator[Any]) -> None:
            with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                for query, rows_ in (
                    (PGQ.floor_copy_nodes, node_rows),
                    (PGQ.floor_copy_edges, edge_rows),
                ):
                    with cur.copy(query.sql) as copy:
                        copy.set_types(copy_types(query))
                        for row in rows_:
                            copy.write_row(row)

        def persist_floor() -> None:
            tick = next(ticks)
            with gc_paused():
                floor_copy(rows.plain_nodes(sid, tick, 0), rows.plain_edges(sid, tick, 0))

        def copy_only() -> None:
            tick = next(ticks)
            with gc_paused():
                floor_copy(
                    ((sid, tick, 0, *row) for row in rows.nodes),
                    ((sid, tick, 0, *row) for row in rows.edges),
                )

        def encode_only() -> None:
            encoder = GraphEncoder(graph)
            with gc_paused():
                for rows_ in (encoder.node_rows(sid, 0, 0), encoder.edge_rows(sid, 0, 0)):
                    for _ in rows_:
                        pass

        def tick0_key(conn: psycopg.Connection[Any]) -> dict[str, Any]:
            """The parameters of the hydrate's reads of tick 0."""
            with select.get_graph_snapshot_cursor(conn, session_id=sid, tick=0) as cur:
                header = named_row(cur)
            assert header is not None
            return {"session_id": sid, "tick": 0, "generation": header["generation"]}

        def hydrate_floor() -> Any:
            with pool.connection() as conn:
                params = tick0_key(conn)
                return fetch_and_decode(
                    [
                        (conn.execute(select.select_nodes.sql, params), NODE_DOCS),
                        (conn.execute(select.select_edges.sql, params), EDGE_DOCS),
                    ]
                )

        def naive_persist() -> None:
            tick = next(ticks)
            with pool.connection() as conn, conn.transaction():
                PGQ.naive_pg_snapshot(conn, session_id=naive_sid, tick=tick)
                for i, (n, attrs) in enumerate(graph.nodes(data=True)):
                    PGQ.naive_pg_insert_node(
                        conn,
                        session_id=naive_sid,
                        tick=tick,
                        node_id=n,
                        ord=i,
                        attributes=json.dumps(attrs),
                    )
                for i, (u, v, attrs) in enumerate(graph.edges(data=True)):
                    PGQ.naive_pg_insert_edge(
                        conn,
                        session_id=naive_sid,
                        tick=tick,
                        source_id=u,
                        target_id=v,
                        ord=i,
                        attributes=json.dumps(attrs),
                    )
            naive_ticks.append(tick)

        def naive_read() -> nx.DiGraph[Any]:
            with pool.connection() as conn:
                key = {"session_id": naive_sid, "tick": naive_ticks[0]}
                return naive_hydrate(
                    list(PGQ.naive_pg_select_nodes(conn, **key)),
                    list(PGQ.naive_pg_select_edges(conn, **key)),
                )

        naive_ticks: list[int] = []
        # A session some ticks old, with the statistics autovacuum would have
        # gathered by then: with one tick only, the planner rightly reads a
        # whole table to delete or fetch "its" tick. Its ticks come before the
        # measured ones, as in a running game, and an earlier session's ticks
        # before them, as in a database that has seen games: session ids are
        # time-ordered, so a new tick still goes to the right edge of the
        # index, as the floor's rows do in their tables. The session "below"
        # sorts before the earlier one, as a random id would: its new ticks go
        # into the middle of the index.
        for session in (earlier, sid):
            for _ in range(WARM_TICKS // 2):
                runtime.persist_tick(next(ticks), graph, session_id=session)
        runtime.persist_tick(0, graph, session_id=sid)
        with pool.connection() as conn:
            PGQ.analyze_graph(conn)
        newest = [0]

        def persist_new() -> None:
            newest[0] = next(ticks)
            runtime.persist_tick(newest[0], graph, session_id=sid)

        # Autovacuum is off on the benchmark's tables (quiet_tables): each
        # round starts on a quiet server, after a VACUUM timed on its own.
        # Each figure also says how much WAL the server wrote for it.
        with psycopg.connect(make_conninfo(admin, dbname=name), autocommit=True) as maintenance:
            fig.wal_position = lambda: int(PGQ.wal_insert_position(maintenance))
            for i in rounds(repeat):
                fig.run("vacuum", lambda: PGQ.vacuum_tables(maintenance))
                fig.run("persist", persist_new, pid)
                fig.run(
                    "persist below",
                    lambda: runtime.persist_tick(next(ticks), graph, session_id=below),
                    pid,
                )
                fig.run("persist floor", persist_floor, pid)
                fig.run("copy only", copy_only, pid)
                fig.run("replace", lambda: runtime.persist_tick(0, graph, session_id=sid), pid)
                fig.run(
                    "replace newest",
                    lambda: runtime.persist_tick(newest[0], graph, session_id=sid),
                    pid,
                )
                fig.run("encode", encode_only, pid)
                fig.run(
                    "hydrate",
                    lambda: runtime.hydrate_graph(0, session_id=sid),
                    pid,
                    check=same_as(graph),
                )
                fig.run("hydrate floor", hydrate_floor, pid)
                if i < naive_repeat:
                    fig.run("naive persist", naive_persist, pid)
                    fig.run("naive hydrate", naive_read, pid)
            fig.wal_position = None
        with pool.connection() as conn:
            fig.reads = measure_reads(conn, tick0_key(conn), repeat)
        fig.measure_memory(
            "persist", lambda: runtime.persist_tick(next(ticks), graph, session_id=sid)
        )
        fig.measure_memory("hydrate", lambda: runtime.hydrate_graph(0, session_id=sid))
        report(f"PostgreSQL {version}", fig, rows, graph, has_copy=True)
        runtime.close()
    finally:
        pool.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            drop_database(conn, name)
    return fig


# -- SQLite -------------------------------------------------------------------


def bench_sqlite(
    graph: nx.DiGraph[Any],
    rows: Rows,
    repeat: int,
    naive_repeat: int,
    warm: int,
    *,
    in_memory: bool,
) -> Figures:
    fig = Figures(warm_bytes=warm)
    with tempfile.TemporaryDirectory() as tmp:
        db = RuntimeDatabase(run_id="bench", in_memory=in_memory, base_dir=tmp)
        naive_db = RuntimeDatabase(run_id="naive", in_memory=in_memory, base_dir=tmp)
        conn = naive_db.connection
        LITEQ.floor_sqlite_tables(conn)
        LITEQ.naive_sqlite_tables(conn)
        ticks = iter(range(1, 1_000_000))
        naive_ticks: list[int] = []
        floor_ticks: list[int] = []

        def persist_floor(node_rows: Iterator[Any], edge_rows: Iterator[Any]) -> None:
            with conn:
                for query, rows_ in (
                    (LITEQ.floor_sqlite_insert_nodes, node_rows),
                    (LITEQ.floor_sqlite_insert_edges, edge_rows),
                ):
                    batch: list[Any] = []
                    for row in rows_:
                        batch.append(row)
                        if len(batch) == 1000:
                            query(conn, batch)
                            batch = []
                    if batch:
                        query(conn, batch)

        def floor() -> None:
            tick = next(ticks)
            with gc_paused():
                persist_floor(rows.plain_nodes("floor", tick), rows.plain_edges("floor", tick))
            floor_ticks.append(tick)

        def write_only() -> None:
            tick = next(ticks)
            with gc_paused():
                persist_floor(
                    (("floor", tick, *row) for row in rows.nodes),
                    (("floor", tick, *row) for row in rows.edges),
                )

        def hydrate_floor() -> Any:
            # The runtime keeps chunks on SQLite: the floor stays the rows of
            # the issue, those the persist floor wrote, read as select_nodes
            # and select_edges read them when SQLite stored a row per node.
            params = {"session_id": "floor", "tick": floor_ticks[0]}
            return fetch_and_decode(
                [
                    (conn.execute(LITEQ.floor_sqlite_select_nodes.sql, params), NODE_DOCS),
                    (conn.execute(LITEQ.floor_sqlite_select_edges.sql, params), EDGE_DOCS),
                ]
            )

        def naive_persist() -> None:
            tick = next(ticks)
            with conn:
                LITEQ.naive_sqlite_snapshot(conn, session_id="naive", tick=tick)
                for i, (n, attrs) in enumerate(graph.nodes(data=True)):
                    LITEQ.naive_sqlite_insert_node(
                        conn,
                        session_id="naive",
                        tick=tick,
                        node_id=n,
                        ord=i,
                        attributes=json.dumps(attrs),
                    )
                for i, (u, v, attrs) in enumerate(graph.edges(data=True)):
                    LITEQ.naive_sqlite_insert_edge(
                        conn,
                        session_id="naive",
                        tick=tick,
                        source_id=u,
                        target_id=v,
                        ord=i,
                        attributes=json.dumps(attrs),
                    )
            naive_ticks.append(tick)

        def naive_read() -> nx.DiGraph[Any]:
            key = {"session_id": "naive", "tick": naive_ticks[0]}
            return naive_hydrate(
                list(LITEQ.naive_sqlite_select_nodes(conn, **key)),
                list(LITEQ.naive_sqlite_select_edges(conn, **key)),
            )

        db.persist_tick(0, graph)
        newest = [0]

        def persist_new() -> None:
            newest[0] = next(ticks)
            db.persist_tick(newest[0], graph)

        for i in rounds(repeat):
            fig.run("persist", persist_new)
            fig.run("persist floor", floor)
            fig.run("copy only", write_only)
            fig.run("replace", lambda: db.persist_tick(0, graph))
            fig.run("replace newest", lambda: db.persist_tick(newest[0], graph))
            fig.run("hydrate", lambda: db.hydrate_graph(0), check=same_as(graph))
            fig.run("hydrate floor", hydrate_floor)
            if i < naive_repeat:
                fig.run("naive persist", naive_persist)
                fig.run("naive hydrate", naive_read)
        fig.measure_memory("persist", lambda: db.persist_tick(next(ticks), graph))
        fig.measure_memory("hydrate", lambda: db.hydrate_graph(0))
        report(f"SQLite {'memory' if in_memory else 'file, WAL'}", fig, rows, graph, has_copy=False)
        db.close()
        naive_db.close()
    return fig


# -- reporting ----------------------------------------------------------------

#: (backend, check name, value, target, higher is better) gathered for the summary.
CHECKS: list[tuple[str, str, float, float, bool]] = []


def cell(fig: Figures, name: str) -> str:
    server = fig.server(name)
    text = f"{fig.wall(name):7.3f} s  (client {fig.client(name):.3f}, kernel {fig.kernel(name):.3f}"
    text += f", server {server:.3f}" if server is not None else ""
    wal = fig.wal(name)
    text += f", WAL {wal:.1f} MB)" if wal is not None else ")"
    return text


def check(where: str, label: str, value: float, target: float, higher: bool) -> str:
    CHECKS.append((where, label, value, target, higher))
    ok = value >= target if higher else value <= target
    return f"{value:5.2f}x ({'>=' if higher else '<='} {target:g}: {'ok' if ok else 'MISSED'})"


def report(title: str, fig: Figures, rows: Rows, graph: nx.DiGraph[Any], *, has_copy: bool) -> None:
    scale = f"{graph.number_of_nodes():,} nodes + {graph.number_of_edges():,} edges"
    where = f"{title}, {graph.number_of_nodes() // 1000}K"
    n = len(fig.samples["persist"])
    floor_name = "binary COPY" if has_copy else "executemany"
    # PostgreSQL only: a tick of a session sorting below an older one; the
    # naive baselines may run fewer rounds, or none.
    below, naive = "persist below" in fig.samples, "naive persist" in fig.samples
    print(f"{title} - {scale}, encoded rows {rows.encoded_bytes / 1e6:.1f} MB, medians of {n}")
    wal = ", WAL written" if fig.wal("persist") is not None else ""
    print(f"  wall (client CPU, of which the kernel's, server CPU{wal})")
    print(f"  persist_tick, new tick     {cell(fig, 'persist')}")
    print(f"    floor: encode + {floor_name:<12} {cell(fig, 'persist floor')}")
    print(f"    {floor_name} of pre-encoded rows {cell(fig, 'copy only')}")
    if below:
        where_random = "(where a random id may sort)"
        print(f"    a session below an older one {cell(fig, 'persist below')}  {where_random}")
    print(f"  persist_tick, replace      {cell(fig, 'replace')}  (tick 0, newer ticks after it)")
    print(f"    replace the newest tick  {cell(fig, 'replace newest')}")
    print(f"  hydrate_graph              {cell(fig, 'hydrate')}")
    print(f"    floor: fetch + decode     {cell(fig, 'hydrate floor')}")
    if naive:
        print(f"  naive persist              {cell(fig, 'naive persist')}")
        print(f"  naive hydrate              {cell(fig, 'naive hydrate')}")
    persist, replace, hydrate = fig.wall("persist"), fig.wall("replace"), fig.wall("hydrate")
    # (label, value, target or None, higher is better); PostgreSQL's targets
    # are on the floors, SQLite's on the naive baselines.
    ratios: list[tuple[str, float, float | None, bool]] = [
        ("persist / floor", persist / fig.wall("persist floor"), 1.3 if has_copy else None, False),
        ("persist / pre-encoded write", persist / fig.wall("copy only"), None, False),
    ]
    if below:
        ratios.append(
            ("new tick below / new tick", fig.wall("persist below") / persist, None, False)
        )
    ratios += [
        ("replace / new tick", replace / persist, 1.3 if has_copy else None, False),
        (
            "replace newest / new tick",
            fig.wall("replace newest") / persist,
            1.3 if has_copy else None,
            False,
        ),
        ("hydrate / floor", hydrate / fig.wall("hydrate floor"), 1.5 if has_copy else None, False),
    ]
    if naive:
        ratios += [
            ("naive persist / persist", fig.wall("naive persist") / persist,
             None if has_copy else 3.0, True),
            ("naive hydrate / hydrate", fig.wall("naive hydrate") / hydrate,
             4.0 if has_copy else 3.0, True),
        ]  # fmt: skip
    benchjson.section = f"runtime {where}"
    benchjson.record(
        "persist_tick (new tick)", persist, fig.wall("naive persist") if naive else None
    )
    if below:
        benchjson.record(
            "persist_tick (new tick, a session below an older one)", fig.wall("persist below")
        )
    benchjson.record("persist_tick (replace tick 0)", replace, target="<= 1.3x new tick")
    benchjson.record(
        "persist_tick (replace the newest tick)",
        fig.wall("replace newest"),
        target="<= 1.3x new tick",
    )
    benchjson.record("hydrate_graph", hydrate, fig.wall("naive hydrate") if naive else None)
    for label, name in (("new tick", "persist"), ("replace tick 0", "replace")):
        if (wal_mb := fig.wal(name)) is not None:
            benchjson.record(f"WAL written by persist_tick ({label})", wal_mb, unit="MB")
    print("  ratios")
    for label, value, target, higher in ratios:
        text = f"{value:5.2f}x" if target is None else check(where, label, value, target, higher)
        print(f"    {label:<28} {text}")
    if "encode" in fig.samples:
        encode = fig.client("encode")
        send = max(fig.client("persist") - encode, 0.0)
        build = max(fig.client("hydrate") - fig.client("hydrate floor"), 0.0)
        server_p, server_h = fig.server("persist"), fig.server("hydrate")
        sp = "n/a" if server_p is None else f"{server_p:.3f}"
        sh = "n/a" if server_h is None else f"{server_h:.3f}"
        print(
            f"  where the time goes (CPU s): persist: encode {encode:.3f}, send {send:.3f}, "
            f"server {sp}; hydrate: server {sh}, fetch + decode "
            f"{fig.client('hydrate floor'):.3f}, build {build:.3f}"
        )
    else:
        # SQLite runs in the client: ours against the floor's parts (the
        # runtime reads chunks, so its hydrate has no per-row fetch to split).
        print(
            f"  where the time goes (CPU s): persist {fig.client('persist'):.3f} against the "
            f"floor's {fig.client('persist floor'):.3f}, of which SQLite "
            f"{fig.client('copy only'):.3f}; hydrate {fig.client('hydrate'):.3f} against the "
            f"floor's fetch + decode {fig.client('hydrate floor'):.3f}"
        )
    for name in ("persist", "hydrate"):
        peak, kept = fig.memory[name]
        working = peak - kept
        ratio = working / rows.encoded_bytes
        extra = f", the graph returned {kept / 1e6:.1f} MB apart" if name == "hydrate" else ""
        checked = check(where, f"{name} memory / encoded rows", ratio, 2.0, False)
        print(
            f"  peak Python memory, {name}: {working / 1e6:.1f} MB = {checked} "
            f"the encoded rows{extra}"
        )
    if "vacuum" in fig.samples:
        print(
            f"  VACUUM before each round, in no figure: {fig.wall('vacuum'):.3f} s "
            "(the rows the replaces deleted, the floors' new rows)"
        )
    if fig.warm_times:
        print(
            f"  fresh memory touched before each figure, in no figure: "
            f"{statistics.median(fig.warm_times):.3f} s ({fig.warm_bytes / 1e6:.0f} MB; "
            "--no-warm: none)"
        )
    if (reads := fig.reads) is not None:
        print(
            f"  hydrate's reads, server execution (EXPLAIN ANALYZE): nodes {reads.nodes:.3f} s + "
            f"edges {reads.edges:.3f} s = {reads.server:.3f} s; the client's fetch of their "
            f"rows, no decode: {reads.fetch:.3f} s"
        )
        benchjson.record("hydrate_graph reads: server execution (EXPLAIN ANALYZE)", reads.server)
        benchjson.record("hydrate_graph reads: client fetch, no decode", reads.fetch)
    # A round's time beside the kernel's share of it: the time it takes to
    # get fresh memory from the system varies from round to round.
    print(f"  hydrate rounds, wall (kernel CPU): {fig.rounds_of('hydrate')}")
    print(flush=True)


def parse_scale(text: str) -> tuple[int, int]:
    text = text.strip().lower()
    nodes = int(text[:-1]) * 1000 if text.endswith("k") else int(text)
    return nodes, nodes * 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="10k", help="comma-separated: 10k, 100k, or N nodes")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--naive-repeat", type=int, default=None, help="naive baseline runs (default: --repeat)"
    )
    parser.add_argument("--backends", default="pg,sqlite-file,sqlite-memory")
    parser.add_argument(
        "--no-warm",
        action="store_true",
        help="no fresh memory touched before each figure (see Figures.warm_memory)",
    )
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",")]
    naive_repeat = args.repeat if args.naive_repeat is None else args.naive_repeat
    results: dict[tuple[str, int], Figures] = {}
    scales = [parse_scale(s) for s in args.scale.split(",")]
    for nodes, edges in scales:
        graph = make_graph(nodes, edges)
        rows = Rows.of(graph)
        warm = 0 if args.no_warm else WARM_FACTOR * rows.encoded_bytes
        if len(scales) > 1:
            results[("machine", nodes)] = machine_controls(graph, args.repeat, warm)
        for backend in backends:
            if backend == "pg":
                fig = bench_postgres(graph, rows, args.repeat, naive_repeat, warm)
            elif backend in ("sqlite-file", "sqlite-memory"):
                fig = bench_sqlite(
                    graph,
                    rows,
                    args.repeat,
                    naive_repeat,
                    warm,
                    in_memory=backend == "sqlite-memory",
                )
            else:
                parser.error(f"unknown backend {backend!r}")
            results[(backend, nodes)] = fig
        del graph, rows
    if len(scales) > 1:
        small, large = scales[0][0], scales[-1][0]
        factor = large / small
        print(f"Growth from {small:,} to {large:,} nodes ({factor:g}x the rows): time ratio")
        for backend in backends:
            a, b = results[(backend, small)], results[(backend, large)]
            for name in ("persist", "replace", "hydrate"):
                growth = b.wall(name) / a.wall(name)
                print(
                    f"  {backend:<14} {name:<8} {a.wall(name):7.3f} s -> {b.wall(name):7.3f} s  "
                    f"{check(backend, f'{name} growth', growth, factor * 1.1, False)}"
                )
            if a.reads is not None and b.reads is not None:
                ra, rb, fa, fb = a.reads.server, b.reads.server, a.reads.fetch, b.reads.fetch
                print(
                    f"  {backend:<14} the hydrate's reads, server execution {ra:.3f} s -> "
                    f"{rb:.3f} s  {rb / ra:5.2f}x; the client's fetch {fa:.3f} s -> {fb:.3f} s  "
                    f"{fb / fa:5.2f}x (no target)"
                )
        a, b = results[("machine", small)], results[("machine", large)]
        print("  the same graph without a database (this machine's own growth, no target):")
        for name, what in (("walk", "read every attribute value"), ("copy", "graph.copy()")):
            print(
                f"  {what:<27} {a.wall(name):7.3f} s -> {b.wall(name):7.3f} s  "
                f"{b.wall(name) / a.wall(name):5.2f}x"
            )
        print()
    missed = [c for c in CHECKS if not (c[2] >= c[3] if c[4] else c[2] <= c[3])]
    print(f"targets: {len(CHECKS) - len(missed)} of {len(CHECKS)} met")
    for where, label, value, target, higher in missed:
        sign = ">=" if higher else "<="
        print(f"  missed: {where}: {label} {value:.2f}x (target {sign} {target:g})")


if __name__ == "__main__":
    main()
