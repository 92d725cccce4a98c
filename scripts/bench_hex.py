"""Benchmark of the multi-resolution hex journal at CONUS R7 scale.

    .venv/bin/python scripts/bench_hex.py [--hexes 243000] [--counties 3100]
        [--active 5000] [--ticks 6] [--history 60] [--children 7]

Our design (hex_latest as a view over per-game hex_base, a county-latest
table and a tick pointer; see babylon_sql/hex_init.py) beside the design's
per-hex table rewritten by UPDATE ... FROM every tick (``hex_latest_naive``),
measured in the same run on the same journals. Writes are wall time of one
statement on a local connection; reads give server time (EXPLAIN ANALYZE)
and the client's time to execute and fetch into Python, side by side.

PostgreSQL: BABYLON_DSN if set, else the embedded server. A fresh database
is created for the run and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import aiosql
import benchjson  # the --json PATH contract of scripts/bench
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.types.json import Jsonb

from babylon_sql.catalogue import queries, run_batched
from babylon_sql.hex.journal import (
    load_hex_map,
    load_hex_substrate,
    rebuild_hex_base,
    reconstruct_hex_state,
    refresh_hex_latest,
    seed_hex_latest,
    write_hex_activity,
    write_territory_snapshot,
)
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import apply_schema

B = aiosql.from_path(Path(__file__).parent / "sql" / "bench_hex", "psycopg")
CLASSES = ("proletariat", "petty_bourgeoisie", "labor_aristocracy", "bourgeoisie")
TERRAINS = ("forest", "plains", "urban", "desert", "wetland", "mountain")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def row(label: str, ours: float, naive: float, note: str = "") -> None:
    benchjson.record(f"hex: {label}", ours, naive)
    ratio = naive / ours if ours > 0 else float("inf")
    print(f"  {label:<34} ours {ms(ours)}   naive {ms(naive)}   x{ratio:7.1f}  {note}")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def county_of(i: int, hexes: int, counties: int) -> str:
    return f"{i * counties // hexes:05d}"


def hex_id(i: int) -> int:
    return 0x0870000000000000 + (i << 12)


def territory(tick: int, counties: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for c in range(counties):
        base = rng.random()
        yield {
            "county_fips": f"{c:05d}",
            "value_tensor": [base + k for k in range(12)],
            "profit_rate": base,
            "exploitation_rate": 1.0 + base,
            "occ": 2.0 + base,
            "imperial_rent": base * tick,
            "pop_total": 10_000 + c,
            "mobilizable_pop": 1_000 + tick,
            "dominant_class": CLASSES[(c + tick) % 4],
            "class_distribution": {"proletariat": 0.6, "bourgeoisie": 0.1},
        }


def activity(tick: int, hexes: int, active: int) -> list[dict[str, Any]]:
    rng = random.Random(1000 + tick)
    return [
        {
            "h3_index": hex_id(i),
            "heat": rng.random() * 10,
            "heat_delta": rng.random() - 0.5,
            "org_count": rng.randrange(4),
            "org_presence": rng.random(),
            "actions_taken": rng.randrange(3),
            "faction_control": {"party": 0.5},
        }
        for i in sorted(rng.sample(range(hexes), active))
    ]


def explain_ms(conn: psycopg.Connection[Any], query: Any, **params: Any) -> float:
    stmt = sql.SQL(B.bench_hex_explain.sql).format(query=sql.SQL(query.sql))
    plan = conn.execute(stmt, params).fetchone()
    assert plan is not None
    doc = plan[0] if not isinstance(plan[0], str) else json.loads(plan[0])
    return float(doc[0]["Execution Time"]) / 1000.0


def fetch_s(conn: psycopg.Connection[Any], query: Any, **params: Any) -> tuple[float, int]:
    start = time.perf_counter()
    rows = conn.execute(query.sql, params).fetchall()
    return time.perf_counter() - start, len(rows)


def median(fn: Callable[[], float], n: int = 3) -> float:
    return statistics.median(fn() for _ in range(n))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hexes", type=int, default=243_000)
    ap.add_argument("--counties", type=int, default=3_100)
    ap.add_argument("--active", type=int, default=5_000)
    ap.add_argument("--ticks", type=int, default=6, help="ticks refreshed by both designs")
    ap.add_argument(
        "--history", type=int, default=60, help="journal ticks written before reconstructing"
    )
    ap.add_argument("--children", type=int, default=7, help="R8 substrate rows per R7 hex")
    args = ap.parse_args()
    hexes, counties, active, ticks = args.hexes, args.counties, args.active, args.ticks

    base_dsn = resolve_dsn()
    dbname = f"babylon_bench_hex_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_dsn = make_conninfo(
        base_dsn, dbname=conninfo_to_dict(base_dsn).get("dbname") or "postgres"
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        create_database(conn, dbname)
        version = conn.info.server_version
    print(
        f"hex journal bench: {hexes:,} hexes, {counties:,} counties, {active:,} active/tick, "
        f"{ticks} ticks, {hexes * args.children:,} substrate rows; PostgreSQL {version}"
    )
    try:
        dsn = make_conninfo(base_dsn, dbname=dbname)
        with psycopg.connect(dsn) as conn:
            apply_schema(conn, warn=False)
            B.bench_hex_naive_create(conn)
            conn.commit()
        with open_pool(dsn, min_size=1, max_size=2) as pool:
            run(pool, hexes, counties, active, ticks, args.children, max(args.history, ticks))
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            drop_database(conn, dbname)
    return 0


def run(
    pool: Any, hexes: int, counties: int, active: int, ticks: int, children: int, history: int
) -> None:
    map_rows = [
        {"h3_index": hex_id(i), "county_fips": county_of(i, hexes, counties), "resolution": 7}
        for i in range(hexes)
    ]
    print("static loads")
    t_copy, _ = timed(lambda: load_hex_map(pool, map_rows))

    def naive_load() -> None:
        with pool.connection() as conn, conn.transaction():
            run_batched(B.bench_hex_naive_load_map, conn, map_rows)

    t_many, _ = timed(naive_load)
    row("hex_map load (COPY vs executemany)", t_copy, t_many,
        f"{hexes:,} rows; ours incl. validation, ANALYZE, hex_base rebuild")  # fmt: skip
    rng = random.Random(7)
    sub_rows = (
        {
            "h3_index": (hex_id(i) | (1 << 60)) + j,
            "parent_h3_index": hex_id(i),
            "terrain_type": TERRAINS[rng.randrange(len(TERRAINS))],
            "water_coverage": rng.random(),
            "broadband": rng.random() < 0.7,
            "surveillance": rng.random(),
        }
        for i in range(hexes)
        for j in range(children)
    )
    t_sub, n_sub = timed(lambda: load_hex_substrate(pool, sub_rows))
    print(
        f"  hex_substrate load (COPY)          {ms(t_sub)}   {n_sub:,} rows, "
        "incl. validation, ANALYZE, hex_base rebuild"
    )

    with pool.connection() as conn:
        gid = B.bench_hex_create_game(conn, name="bench")
        other = B.bench_hex_create_game(conn, name="bench-naive-writes")
        conn.commit()

    def naive_write(query: Any, delete: Any, t: int, rows: list[dict[str, Any]]) -> None:
        with pool.connection() as conn, conn.transaction():
            delete(conn, game_id=other, tick=t)
            run_batched(query, conn, rows)

    print("journal writes per tick (one transaction each; naive: executemany, no validation)")
    hq = queries("pg").hex
    t_terr, t_act, n_terr, n_act = [], [], [], []
    for t in range(ticks + 1):
        rows = list(territory(t, counties, random.Random(t)))
        t_terr.append(timed(partial(write_territory_snapshot, pool, gid, t, rows))[0])
        plain = [
            {**r, "game_id": other, "tick": t, "class_distribution": Jsonb(r["class_distribution"])}
            for r in rows
        ]
        n_terr.append(
            timed(
                partial(
                    naive_write,
                    B.bench_hex_naive_insert_territory,
                    hq.delete_territory_tick,
                    t,
                    plain,
                )
            )[0]
        )
        acts = activity(t, hexes, active)
        t_act.append(timed(partial(write_hex_activity, pool, gid, t, acts))[0])
        plain = [
            {**a, "game_id": other, "tick": t, "faction_control": Jsonb(a["faction_control"]),
             "state": Jsonb({})}
            for a in acts
        ]  # fmt: skip
        n_act.append(
            timed(
                partial(
                    naive_write,
                    B.bench_hex_naive_insert_activity,
                    hq.delete_hex_activity_tick,
                    t,
                    plain,
                )
            )[0]
        )
    med = statistics.median
    row("write_territory_snapshot (COPY)", med(t_terr), med(n_terr), f"{counties:,} rows")
    row("write_hex_activity (COPY)", med(t_act), med(n_act), f"{active:,} rows")

    print("seed (tick-0 ETL)")
    t_seed, seeded = timed(lambda: seed_hex_latest(pool, gid))

    def naive_seed() -> None:
        with pool.connection() as conn, conn.transaction():
            B.bench_hex_naive_seed(conn, game_id=gid)
            B.bench_hex_naive_analyze(conn)

    t_nseed, _ = timed(naive_seed)
    t_reseed, seeded = timed(lambda: seed_hex_latest(pool, gid))
    t_base, _ = timed(lambda: rebuild_hex_base(pool))
    row("rebuild_hex_base + seed_hex_latest", t_base + t_reseed, t_nseed,
        "the per-game seed plus the shared substrate aggregation it replaces")  # fmt: skip
    row("seed_hex_latest (re-run, warm)", t_reseed, t_nseed,
        f"{seeded:,} hexes; first run (cold) {ms(t_seed).strip()}; ours incl. ANALYZE")  # fmt: skip

    print("refresh per tick (median over ticks 1..N)")
    p1, p2, rep_wall, n1, n2a, n2b, n_wall = [], [], [], [], [], [], []
    quiet = []
    for t in range(1, ticks + 1):
        wall, report = timed(partial(refresh_hex_latest, pool, gid, t))
        p1.append(report.phase1_ms / 1000)
        p2.append(report.phase2_ms / 1000)
        rep_wall.append(wall)
        quiet.append(report.quieted_hexes)
        with pool.connection() as conn, conn.transaction():
            start = time.perf_counter()
            B.bench_hex_naive_phase1(conn, game_id=gid, tick=t)
            mid = time.perf_counter()
            B.bench_hex_naive_phase2_overlay(conn, game_id=gid, tick=t)
            mid2 = time.perf_counter()
            B.bench_hex_naive_phase2_clear(conn, game_id=gid, tick=t)
            end = time.perf_counter()
        committed = time.perf_counter()
        n1.append(mid - start)
        n2a.append(mid2 - mid)
        n2b.append(end - mid2)
        n_wall.append(committed - start)
    row("phase 1 (territory broadcast)", med(p1), med(n1), "naive: UPDATE of every hex")
    row("phase 2 (activity overlay+clear)", med(p2), med(n2a) + med(n2b),
        f"naive: overlay {ms(med(n2a)).strip()} + clear {ms(med(n2b)).strip()}")  # fmt: skip
    row("whole refresh_hex_latest call", med(rep_wall), med(n_wall),
        f"both incl. commit; {med(quiet):,.0f} hexes went quiet/tick")  # fmt: skip

    with pool.connection() as conn:
        ours_sum = B.bench_hex_checksum(conn, game_id=gid)
        naive_sum = B.bench_hex_naive_checksum(conn, game_id=gid)
        conn.rollback()
    same = ours_sum[0] == naive_sum[0] and all(
        abs((a or 0) - (b or 0)) < 1e-6 * max(1.0, abs(a or 0))
        for a, b in zip(ours_sum[1:], naive_sum[1:], strict=True)
    )
    print(f"  check: view and baseline table agree at tick {ticks}: {same} ({ours_sum[0]:,} rows)")

    print(f"journal history: writing ticks {ticks + 1}..{history} (territory + activity)")
    for t in range(ticks + 1, history + 1):
        write_territory_snapshot(pool, gid, t, list(territory(t, counties, random.Random(t))))
        write_hex_activity(pool, gid, t, activity(t, hexes, active))
    with pool.connection() as conn:
        B.bench_hex_analyze_journals(conn)
        conn.commit()

    print("reads (server = EXPLAIN ANALYZE execution; client = execute + fetch into Python)")
    county = county_of(hexes // 2, hexes, counties)
    with pool.connection() as conn:
        conn.autocommit = True
        for label, ours_q, naive_q, params in (
            ("hex_latest, whole game", B.bench_hex_read_all, B.bench_hex_naive_read_all,
             {"game_id": gid}),
            ("viewport (one county)", B.bench_hex_read_county, B.bench_hex_naive_read_county,
             {"game_id": gid, "county_fips": county}),
            ("v_hex_heat", B.bench_hex_read_heat, B.bench_hex_naive_read_heat, {"game_id": gid}),
        ):  # fmt: skip
            s_ours = median(partial(explain_ms, conn, ours_q, **params))
            s_naive = median(partial(explain_ms, conn, naive_q, **params))
            c_ours, n = fetch_s(conn, ours_q, **params)
            c_naive, _ = fetch_s(conn, naive_q, **params)
            row(f"{label} server", s_ours, s_naive, f"{n:,} rows (>1 means ours faster)")
            row(f"{label} client", c_ours, c_naive)
        tick = history
        params_all = {"game_id": gid, "tick": tick}
        s_ours = median(lambda: explain_ms(conn, hq.reconstruct_hex_state, **params_all))
        s_naive = median(lambda: explain_ms(conn, B.bench_hex_naive_reconstruct, **params_all))
        row(
            "reconstruct one tick server", s_ours, s_naive, f"latest tick, {history + 1} in journal"
        )
        c_ours, n = fetch_s(conn, hq.reconstruct_hex_state, **params_all)
        c_naive, _ = fetch_s(conn, B.bench_hex_naive_reconstruct, **params_all)
        c_dicts, _ = timed(lambda: reconstruct_hex_state(pool, gid, tick))
        row("reconstruct one tick client", c_ours, c_naive,
            f"{n:,} rows as tuples; as dicts (the function) {ms(c_dicts).strip()}")  # fmt: skip
        pc = {"game_id": gid, "tick": tick, "county_fips": county}
        s_ours = median(lambda: explain_ms(conn, hq.reconstruct_hex_state_county, **pc))
        s_naive = median(lambda: explain_ms(conn, B.bench_hex_naive_reconstruct_county, **pc))
        row("reconstruct one county server", s_ours, s_naive)
        c_ours, n = fetch_s(conn, hq.reconstruct_hex_state_county, **pc)
        c_naive, _ = fetch_s(conn, B.bench_hex_naive_reconstruct_county, **pc)
        row("reconstruct one county client", c_ours, c_naive, f"{n:,} rows")
    return None


if __name__ == "__main__":
    sys.exit(main())
