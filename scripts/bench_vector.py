"""Benchmark: PgVectorStore at 100,000 chunks x 768 dimensions.

Runs against BABYLON_DSN if set, else the embedded PostgreSQL 18, in a fresh
database that is dropped afterwards. The data set is random clustered vectors
(fixed seed) with a ``bucket`` metadata field taking 10 values, so
``where={"bucket": 3}`` keeps 10 % of the rows.

Measured in one run:

* inserts: ``add_chunks`` through binary COPY (ours) against ``add_chunks`` in
  1,000-chunk calls, i.e. ``executemany`` in 1,000-row batches (the naive
  baseline); and loading into a table that has the HNSW index against loading
  first and building the index afterwards;
* queries: 200 top-10 queries, server execution time (EXPLAIN ANALYZE) and
  the client's wall time of ``query_similar`` beside it, p50/p95; the exact
  scan (``exact=True``, no index: the naive baseline) on a sample;
* recall@10 against exact search over the same data in the same run
  (brute-force numpy cosine; checked against the server's exact scan on a
  sample), unfiltered and with the 10 %-selective filter, for a few
  ``ef_search`` values.

Targets (issue 4): recall@10 >= 0.95 at p50 <= 10 ms; filtered: k rows and
recall >= 0.90; inserts >= 5,000 chunks/s.

    scripts/bench vector
"""

from __future__ import annotations

import os
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import benchjson  # the --json PATH contract of scripts/bench
import numpy as np
import numpy.typing as npt
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import SkippedObjectsWarning, apply_schema
from babylon_sql.vector.store import Chunk, PgVectorStore

N = int(os.environ.get("BENCH_VECTOR_N", "100000"))
DIM = 768
CLUSTERS = 1000
BUCKETS = 10
QUERIES = 200
K = 10
BASELINE_ROWS = 10_000  # rows for the executemany and the indexed-insert comparisons
EXACT_SAMPLE = 10  # server-side exact scans (each reads every row)
EF_SEARCH = (40, 64, 100)
SEED = 20261122

Array = npt.NDArray[np.float32]


def make_data(rng: np.random.Generator) -> tuple[Array, Array, npt.NDArray[np.int64]]:
    centers = rng.normal(size=(CLUSTERS, DIM)).astype(np.float32)
    assign = rng.integers(CLUSTERS, size=N)
    vectors = centers[assign] + rng.normal(size=(N, DIM)).astype(np.float32)
    q_assign = rng.integers(CLUSTERS, size=QUERIES)
    queries = centers[q_assign] + rng.normal(size=(QUERIES, DIM)).astype(np.float32)
    buckets = np.arange(N) % BUCKETS
    return vectors.astype(np.float32), queries.astype(np.float32), buckets


def chunks(vectors: Array, buckets: npt.NDArray[np.int64], start: int = 0) -> list[Chunk]:
    return [
        Chunk(
            id=f"c{start + i}",
            document=f"chunk {start + i}",
            embedding=v,
            metadata={"bucket": int(buckets[start + i])},
        )
        for i, v in enumerate(vectors)
    ]


def exact_top(unit: Array, query: Array, k: int, mask: npt.NDArray[np.bool_] | None) -> set[str]:
    scores = unit @ (query / np.linalg.norm(query))
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = np.argpartition(-scores, k)[:k]
    return {f"c{i}" for i in top}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@contextmanager
def fresh_database() -> Iterator[str]:
    base = resolve_dsn()
    admin = make_conninfo(base, dbname="postgres") if conninfo_to_dict(base) else base
    name = f"babylon_bench_vector_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        create_database(conn, name)
        version = conn.info.server_version
    print(f"server {version // 10000}.{version % 10000 // 100}, database {name}")
    try:
        yield make_conninfo(admin, dbname=name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            drop_database(conn, name)


def main() -> None:
    rng = np.random.default_rng(SEED)
    t0 = time.perf_counter()
    vectors, queries, buckets = make_data(rng)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    print(
        f"data: {N:,} x {DIM} clustered vectors ({CLUSTERS} clusters), built in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    all_chunks = chunks(vectors, buckets)

    with fresh_database() as dsn:
        with psycopg.connect(dsn) as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore", SkippedObjectsWarning)
            apply_schema(conn, require=("vector",))
        pool = open_pool(dsn, max_size=2)
        try:
            run(pool, all_chunks, vectors, queries, buckets, unit)
        finally:
            pool.close()


def run(
    pool: Any,
    all_chunks: list[Chunk],
    vectors: Array,
    queries: Array,
    buckets: npt.NDArray[np.int64],
    unit: Array,
) -> None:
    # ------------------------------------------------------------------ inserts
    print(f"\n-- inserts ({BASELINE_ROWS:,}-row samples, then the full {N:,})")
    sample = all_chunks[:BASELINE_ROWS]

    naive = PgVectorStore(pool, dimension=DIM, collection="naive")
    copy_sample = PgVectorStore(pool, dimension=DIM, collection="copy-sample")
    indexed = PgVectorStore(pool, dimension=DIM, collection="indexed")
    store = PgVectorStore(pool, dimension=DIM, collection="bench")
    for s in (naive, copy_sample, indexed, store):
        s.register()
    naive.drop_index()  # one partial index serves every 768-d collection
    t_exec = timed(
        lambda: [naive.add_chunks(sample[i : i + 1000]) for i in range(0, len(sample), 1000)]
    )
    t_copy = timed(lambda: copy_sample.add_chunks(sample))
    print(f"executemany, 1,000-row batches, no index : {BASELINE_ROWS / t_exec:9,.0f} chunks/s")
    print(
        f"delete + binary COPY, no index           : {BASELINE_ROWS / t_copy:9,.0f} chunks/s"
        f"  ({t_exec / t_copy:.2f}x)"
    )
    naive.delete_chunks([c.id for c in sample])
    copy_sample.delete_chunks([c.id for c in sample])

    indexed.create_index(maintenance_work_mem="1GB")  # empty: instant
    t_indexed = timed(lambda: indexed.add_chunks(sample))
    print(f"binary COPY into the HNSW-indexed table  : {BASELINE_ROWS / t_indexed:9,.0f} chunks/s")
    indexed.delete_chunks([c.id for c in sample])
    indexed.drop_index()
    benchjson.section = "vector"
    benchjson.record(
        f"bulk load, {BASELINE_ROWS:,} chunks (COPY vs executemany)",
        BASELINE_ROWS / t_copy,
        BASELINE_ROWS / t_exec,
        unit="chunks/s",
        better="higher",
    )

    t_load = timed(lambda: store.add_chunks(all_chunks))
    t_build = timed(lambda: store.create_index(maintenance_work_mem="1GB"))
    store.analyze()
    print(
        f"full load, binary COPY, no index          : {N / t_load:9,.0f} chunks/s ({t_load:.1f} s)"
    )
    print(f"then HNSW build (m=16, ef_construction=64): {t_build:.1f} s")
    print(f"load + build                              : {N / (t_load + t_build):9,.0f} chunks/s")
    print(
        f"indexed COPY extrapolated to {N:,}        : {N / BASELINE_ROWS * t_indexed:.1f} s "
        f"(the graph grows as rows arrive, so this is a lower bound)"
    )
    assert store.get_collection_count() == N

    # ------------------------------------------------------------------ ground truth
    exact_sample = queries[:EXACT_SAMPLE]
    mismatches = 0
    exact_server_ms: list[float] = []
    exact_filtered_ms: list[float] = []
    for q in exact_sample:
        ids = store.query_similar(q, k=K, include=[], exact=True)[0]
        mismatches += len(set(ids) ^ exact_top(unit, q, K, None)) // 2
        exact_server_ms.append(
            store.explain_similar(q, k=K, analyze=True, exact=True)["Execution Time"]
        )
        exact_filtered_ms.append(
            store.explain_similar(q, k=K, where={"bucket": 3}, analyze=True, exact=True)[
                "Execution Time"
            ]
        )
    print(
        f"\nexact scan (server) agrees with numpy brute force on {EXACT_SAMPLE} queries: "
        f"{EXACT_SAMPLE * K - mismatches}/{EXACT_SAMPLE * K} ids"
    )

    # ------------------------------------------------------------------ queries
    mask = buckets == 3
    where = {"bucket": 3}
    print(
        f"\n-- top-{K} queries ({QUERIES} per line); naive baseline, exact search without "
        f"HNSW (server p50 of {EXACT_SAMPLE}): {pct(exact_server_ms, 50):.1f} ms unfiltered, "
        f"{pct(exact_filtered_ms, 50):.1f} ms with the 10 % filter"
    )
    print(
        f"{'ef_search':>9} {'scan':>7} {'filter':>6} {'server p50':>10} {'p95':>6} "
        f"{'planning':>8} {'client p50':>10} {'p95':>6} {'recall@10':>9} {'min rows':>8} "
        f"{'index':>5}"
    )
    for ef, mode in [(ef, "relaxed_order") for ef in EF_SEARCH] + [(store_ef(), "strict_order")]:
        s = PgVectorStore(
            pool, dimension=DIM, collection="bench", ef_search=ef, iterative_scan=mode
        )
        for flt in (None, where) if mode == "relaxed_order" else (where,):
            server: list[float] = []
            planning: list[float] = []
            client: list[float] = []
            hits = 0
            min_rows = K
            plans: set[str] = set()
            for q in queries:
                explained = s.explain_similar(q, k=K, where=flt, analyze=True)
                server.append(explained["Execution Time"])
                planning.append(explained["Planning Time"])
                plans |= scan_kinds(explained["Plan"])
                t = time.perf_counter()
                ids = s.query_similar(q, k=K, where=flt)[0]
                client.append((time.perf_counter() - t) * 1000)
                min_rows = min(min_rows, len(ids))
                hits += len(set(ids) & exact_top(unit, q, K, mask if flt else None))
            recall = hits / (K * QUERIES)
            print(
                f"{ef:>9} {mode[:7]:>7} {'10 %' if flt else 'none':>6} {pct(server, 50):8.2f}ms "
                f"{pct(server, 95):5.1f} {pct(planning, 50):6.2f}ms "
                f"{pct(client, 50):8.2f}ms {pct(client, 95):5.1f} "
                f"{recall:9.3f} {min_rows:>8} {'+'.join(sorted(plans)):>5}"
            )
            if ef == store_ef() and mode == "relaxed_order":
                summary.append(
                    (flt is not None, pct(server, 50), pct(client, 50), recall, min_rows)
                )

    print(
        f"\nHNSW over exact search at the default ef_search={store_ef()} (server p50): "
        f"{pct(exact_server_ms, 50) / summary[0][1]:.0f}x unfiltered, "
        f"{pct(exact_filtered_ms, 50) / summary[1][1]:.0f}x filtered"
    )
    for filtered, server_p50, client_p50, recall, min_rows in summary:
        target = 0.90 if filtered else 0.95
        what = "with a 10 % filter" if filtered else "unfiltered"
        exact = pct(exact_filtered_ms if filtered else exact_server_ms, 50)
        benchjson.record(
            f"top-{K} query {what}, server p50 (HNSW vs exact scan)",
            server_p50,
            exact,
            unit="ms",
        )
        benchjson.record(
            f"top-{K} recall {what}", recall, None, unit="", target=f">= {target}", better="higher"
        )
        print(
            f"target {'filtered' if filtered else 'unfiltered'}: recall {recall:.3f} "
            f"(>= {target}) {'OK' if recall >= target else 'MISSED'}; server p50 "
            f"{server_p50:.2f} ms, client p50 {client_p50:.2f} ms (<= 10) "
            f"{'OK' if client_p50 <= 10 else 'MISSED'}; rows >= {min_rows}"
        )


summary: list[tuple[bool, float, float, float, int]] = []


def store_ef() -> int:
    from babylon_sql.vector.store import DEFAULT_EF_SEARCH

    return DEFAULT_EF_SEARCH


def scan_kinds(plan: dict[str, Any]) -> set[str]:
    kinds: set[str] = set()
    name = plan.get("Index Name", "")
    if plan["Node Type"] == "Index Scan" and "hnsw" in name:
        kinds.add("hnsw")
    elif plan["Node Type"] == "Bitmap Index Scan" and name.endswith("_gin"):
        kinds.add("gin")
    elif plan["Node Type"] == "Seq Scan":
        kinds.add("seq")
    for child in plan.get("Plans", []):
        kinds |= scan_kinds(child)
    return kinds


if __name__ == "__main__":
    main()
