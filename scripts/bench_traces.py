"""Benchmark of the trace subsystem.

    .venv/bin/python scripts/bench_traces.py [--events 100000] [--repeat 3]

1. ``TraceRecorder.trace()`` for an event below the recorder's level (the hot
   path of a tick with tracing turned down), beside a call of an empty method
   with the same signature: the difference is what filtering costs.
2. ``trace()`` for a kept event (tuple + shallow dict copy into the buffer).
3. ``persist_traces`` of ``--events`` events of one tick into PostgreSQL:
   binary COPY (ours) beside ``executemany`` in 1,000-row batches (the naive
   baseline), same events, same transaction shape (lock session, delete the
   tick, write), medians of ``--repeat`` runs; plus the Python share
   (validation and JSON encoding) and ``flush()`` end to end. Target: at
   least 200,000 events/s.

PostgreSQL: BABYLON_DSN if set, else the embedded server. A fresh database
is created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import timeit
import uuid
from pathlib import Path
from typing import Any

import aiosql
import benchjson  # the --json PATH contract of scripts/bench
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from babylon_sql.protocols import TraceLevel
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import apply_schema
from babylon_sql.traces import store as tracing
from babylon_sql.traces.store import TraceRecorder

B = aiosql.from_path(Path(__file__).parent / "sql" / "bench_traces", "psycopg")


class Empty:
    """Baseline: a method with trace()'s signature that does nothing."""

    def trace(
        self,
        system: str,
        event: str,
        data: Any,
        *,
        level: TraceLevel = TraceLevel.DEBUG,
        node_id: str | None = None,
    ) -> None:
        pass


def ns_per_call(stmt: str, env: dict[str, Any], number: int = 1_000_000) -> float:
    best = min(timeit.repeat(stmt, globals=env, number=number, repeat=5))
    return best / number * 1e9


def bench_trace_calls() -> None:
    data = {"rent": 42.0, "node": "n1"}
    empty = ns_per_call(
        't.trace("ImperialRentSystem", "formula_eval", d)', {"t": Empty(), "d": data}
    )
    below = ns_per_call(
        't.trace("ImperialRentSystem", "formula_eval", d)',
        {"t": TraceRecorder(TraceLevel.SUMMARY), "d": data},
    )
    off = ns_per_call(
        't.trace("ImperialRentSystem", "formula_eval", d, level=L)',
        {"t": TraceRecorder(TraceLevel.NONE), "d": data, "L": TraceLevel.SUMMARY},
    )
    empty_kw = ns_per_call(
        't.trace("ImperialRentSystem", "formula_eval", d, level=L)',
        {"t": Empty(), "d": data, "L": TraceLevel.SUMMARY},
    )
    print("trace() per call (best of 5 x 1,000,000 calls)")
    print(f"  empty method (baseline)          {empty:7.1f} ns")
    print(f"  below level (SUMMARY recorder)   {below:7.1f} ns   overhead {below - empty:+6.1f} ns")
    print(f"  empty method, level= keyword     {empty_kw:7.1f} ns")
    print(f"  level NONE, level= keyword       {off:7.1f} ns   overhead {off - empty_kw:+6.1f} ns")
    n = 200_000
    kept = []
    for _ in range(3):
        rec = TraceRecorder(TraceLevel.TRACE)
        trace = rec.trace
        start = time.perf_counter()
        for _ in range(n):
            trace("ImperialRentSystem", "formula_eval", data)
        kept.append((time.perf_counter() - start) / n * 1e9)
    print(f"  kept (buffered, TRACE recorder)  {min(kept):7.1f} ns   (loop of {n:,} calls)")
    benchjson.section = "traces"
    benchjson.record("trace() below the level, vs an empty method", below, empty, unit="ns")


def make_events(n: int) -> list[dict[str, Any]]:
    return [
        {
            "system": f"System{i % 12}",
            "event": "formula_eval",
            "data": {"rent": 42.0 + i, "wealth": i * 0.5, "node": f"n{i}", "terms": [1, 2, 3]},
            "level": 2 + (i % 2),
            "node_id": f"node_{i}",
            "seq": i,
        }
        for i in range(n)
    ]


def bench_persist(pool: Any, events: int, repeat: int) -> None:
    sid = uuid.uuid4()
    with pool.connection() as conn:
        B.insert_session(conn, session_id=sid)
    evs = make_events(events)

    ticks = iter(range(10, 10_000))

    def run(method: str, tick: int | None = None) -> float:
        tick = next(ticks) if tick is None else tick
        start = time.perf_counter()
        tracing.persist_traces(pool, sid, tick, evs, method=method)
        return time.perf_counter() - start

    run("copy")  # warm-up: caches, first COPY
    copy_t, many_t = [], []
    for _ in range(repeat):  # interleaved, so drift hits both alike; a new tick each time
        copy_t.append(run("copy"))
        many_t.append(run("executemany"))
    replace_t = [run("copy", tick=10) for _ in range(repeat)]  # tick 10 holds 100k rows
    encode = min(timeit.repeat(lambda: tracing.encode_events(sid, 1, evs), number=1, repeat=repeat))
    rec = TraceRecorder(TraceLevel.TRACE, persistence=_Persistence(pool))
    flush_t = []
    for _ in range(repeat):
        for e in evs:
            rec.trace(
                e["system"], e["event"], e["data"], level=TraceLevel.DEBUG, node_id=e["node_id"]
            )
        start = time.perf_counter()
        rec.flush(sid, next(ticks))
        flush_t.append(time.perf_counter() - start)

    def line(label: str, times: list[float]) -> None:
        med, best = statistics.median(times), min(times)
        print(
            f"  {label:<28}{med * 1000:8.1f} ms  {events / med:9,.0f} ev/s"
            f"   (best {best * 1000:7.1f} ms  {events / best:9,.0f} ev/s)"
        )

    print(f"persist_traces, {events:,} events of one new tick (median of {repeat}, and best)")
    line("COPY (ours)", copy_t)
    line("executemany x1000 (naive)", many_t)
    c, m = statistics.median(copy_t), statistics.median(many_t)
    print(f"  ratio (median)              x{m / c:.2f}   (best x{min(many_t) / min(copy_t):.2f})")
    print(f"  Python share: validate + encode alone {encode * 1000:.1f} ms (best)")
    line("flush() end to end", flush_t)
    line("COPY replacing a full tick", replace_t)
    target = 200_000
    benchjson.record(
        f"persist_traces, {events:,} events (COPY vs executemany)",
        events / c,
        events / m,
        unit="events/s",
        target=f">= {target:,} events/s",
        better="higher",
    )
    verdict = "meets" if events / c >= target else "MISSES"
    print(f"  target {target:,} events/s: COPY median {verdict} it", end="")
    print(f"; best {'meets' if events / min(copy_t) >= target else 'MISSES'} it")


class _Persistence:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def persist_traces(self, session_id: uuid.UUID, tick: int, events: Any) -> None:
        tracing.persist_traces(self.pool, session_id, tick, events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    bench_trace_calls()

    base_dsn = resolve_dsn()
    dbname = f"babylon_bench_traces_{uuid.uuid4().hex[:8]}"
    admin_dsn = make_conninfo(
        base_dsn, dbname=conninfo_to_dict(base_dsn).get("dbname") or "postgres"
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        create_database(conn, dbname)
        version = conn.info.server_version
    load = os.getloadavg()[0]
    print(f"PostgreSQL {version // 10000}.{version % 10000}, database {dbname}, load {load:.1f}")
    try:
        dsn = make_conninfo(base_dsn, dbname=dbname)
        with psycopg.connect(dsn) as conn:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                apply_schema(conn)
        with open_pool(dsn, min_size=1, max_size=2) as pool:
            bench_persist(pool, args.events, args.repeat)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            drop_database(conn, dbname)
    return 0


if __name__ == "__main__":
    sys.exit(main())
