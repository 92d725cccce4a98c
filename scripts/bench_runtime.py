"""Benchmark of persist_tick and hydrate_graph on PostgreSQL and SQLite.

    .venv/bin/python scripts/bench_runtime.py [--nodes 10000] [--edges 50000] [--repeat 5]

A graph of ``--nodes`` nodes and ``--edges`` edges with about 10 attributes
each (numbers, text, booleans, a list, a nested dict, a None). For each
backend, medians of ``--repeat`` runs of:

- ours: ``persist_tick`` of a new tick (the common case), ``persist_tick``
  of a tick again (replacing it), and ``hydrate_graph``;
- naive: the row-at-a-time way in the same run: ``json.dumps`` per document
  and one ``INSERT`` per node and per edge in one transaction; read back with
  a plain SELECT, ``json.loads`` and ``DiGraph.add_node`` / ``add_edge`` per row.

On PostgreSQL the server-side execution time of hydrate's two queries
(``EXPLAIN ANALYZE``) is printed beside the client's total. Targets on the
2-core machine: persist <= 0.5 s and hydrate <= 0.5 s per backend.

PostgreSQL: BABYLON_DSN if set, else the embedded server; a fresh database is
created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosql
import benchjson  # the --json PATH contract of scripts/bench
import networkx as nx
import psycopg
from psycopg.conninfo import make_conninfo

from babylon_sql import PostgresRuntime, RuntimeDatabase
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import SkippedObjectsWarning

HERE = Path(__file__).parent
PGQ = aiosql.from_path(HERE / "sql" / "bench_runtime", "psycopg")
LITEQ = aiosql.from_path(HERE / "sql" / "bench_runtime_sqlite", "sqlite3")


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
    while g.number_of_edges() < edges:
        u, v = rng.randrange(nodes), rng.randrange(nodes)
        if u != v:
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


def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def row(label: str, ours: float, naive: float, extra: str = "") -> None:
    benchjson.record(label, ours, naive)
    print(
        f"  {label:<34} ours {ours * 1000:8.1f} ms   naive {naive * 1000:8.1f} ms   "
        f"naive/ours {naive / ours:5.1f}x  {extra}"
    )


def naive_hydrate(nodes: Any, edges: Any) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    for node_id, attrs in nodes:
        g.add_node(node_id, **json.loads(attrs))
    for s, t, attrs in edges:
        g.add_edge(s, t, **json.loads(attrs))
    return g


def bench_postgres(graph: nx.DiGraph[Any], repeat: int) -> None:
    admin = resolve_dsn()
    name = f"babylon_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        create_database(conn, name)
    pool = open_pool(make_conninfo(admin, dbname=name))
    try:
        runtime = PostgresRuntime(pool)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedObjectsWarning)
            runtime.init_schema()
        sid = runtime.create_session("bench")
        naive_sid = runtime.create_session("bench-naive")

        ticks = iter(range(1, 10_000))
        persist, _ = median_time(
            lambda: runtime.persist_tick(next(ticks), graph, session_id=sid), repeat
        )
        runtime.persist_tick(0, graph, session_id=sid)
        repersist, _ = median_time(lambda: runtime.persist_tick(0, graph, session_id=sid), repeat)
        naive_ticks = iter(range(1, 10_000))

        def naive_persist() -> None:
            tick = next(naive_ticks)
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

        naive_p, _ = median_time(naive_persist, max(1, repeat // 2))
        runtime.persist_tick(0, graph, session_id=sid)
        with pool.connection() as conn:
            PGQ.analyze_graph(conn)
        hydrate, got = median_time(lambda: runtime.hydrate_graph(0, session_id=sid), repeat)
        assert nx.utils.graphs_equal(got, graph), "hydrate must return the persisted graph"

        def naive_read() -> nx.DiGraph[Any]:
            with pool.connection() as conn:
                return naive_hydrate(
                    list(PGQ.naive_pg_select_nodes(conn, session_id=naive_sid, tick=1)),
                    list(PGQ.naive_pg_select_edges(conn, session_id=naive_sid, tick=1)),
                )

        naive_h, _ = median_time(naive_read, repeat)
        server = []
        with pool.connection() as conn:
            for _ in range(repeat):
                total = 0.0
                for q in (PGQ.explain_select_nodes, PGQ.explain_select_edges):
                    plan = next(iter(q(conn, session_id=sid, tick=0)))[0]
                    total += plan[0]["Execution Time"] / 1000
                server.append(total)
        benchjson.section = f"runtime PG{conn.info.server_version // 10000}"
        print(
            f"PostgreSQL {conn.info.server_version // 10000} ({graph.number_of_nodes():,} nodes, "
            f"{graph.number_of_edges():,} edges)"
        )
        row("persist_tick (new tick)", persist, naive_p)
        print(f"  {'persist_tick again (replace tick)':<34} ours {repersist * 1000:8.1f} ms")
        row(
            "hydrate_graph",
            hydrate,
            naive_h,
            f"(server-side execution {statistics.median(server) * 1000:.1f} ms, "
            f"client fetch + decode + build the rest)",
        )
        runtime.close()
    finally:
        pool.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            drop_database(conn, name)


def bench_sqlite(graph: nx.DiGraph[Any], repeat: int, *, in_memory: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = RuntimeDatabase(run_id="bench", in_memory=in_memory, base_dir=tmp)
        naive_db = RuntimeDatabase(run_id="naive", in_memory=in_memory, base_dir=tmp)
        ticks = iter(range(1, 10_000))
        persist, _ = median_time(lambda: db.persist_tick(next(ticks), graph), repeat)
        repersist, _ = median_time(lambda: db.persist_tick(1, graph), repeat)
        hydrate, got = median_time(lambda: db.hydrate_graph(1), repeat)
        assert nx.utils.graphs_equal(got, graph)
        conn = naive_db.connection

        naive_ticks = iter(range(1, 10_000))

        def naive_persist() -> None:
            tick = next(naive_ticks)
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

        naive_p, _ = median_time(naive_persist, max(1, repeat // 2))
        naive_h, _ = median_time(
            lambda: naive_hydrate(
                list(LITEQ.naive_sqlite_select_nodes(conn, session_id="naive", tick=1)),
                list(LITEQ.naive_sqlite_select_edges(conn, session_id="naive", tick=1)),
            ),
            repeat,
        )
        print(f"SQLite ({'memory' if in_memory else 'file, WAL'})")
        benchjson.section = f"runtime SQLite {'memory' if in_memory else 'file'}"
        row("persist_tick (new tick)", persist, naive_p)
        print(f"  {'persist_tick again (replace tick)':<34} ours {repersist * 1000:8.1f} ms")
        row("hydrate_graph", hydrate, naive_h)
        db.close()
        naive_db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    graph = make_graph(args.nodes, args.edges)
    bench_postgres(graph, args.repeat)
    bench_sqlite(graph, args.repeat, in_memory=False)
    bench_sqlite(graph, args.repeat, in_memory=True)


if __name__ == "__main__":
    main()
