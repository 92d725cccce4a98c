"""Benchmark of the archive round trip on a session from the hex world generator.

    .venv/bin/python scripts/bench_archive.py [--scale conus] [--ticks 260] [--json FILE]

Builds one session in a throw-away database: the world's R7 ``hex_map``,
then per tick its ``territory_snapshot`` (one row per county), its sparse
``hex_activity`` (about 5,000 hexes), a tick summary, and ``hex_latest``
seeded at tick 0 and refreshed to the last tick. Then measures:

- export time (``export_session_to_parquet``);
- the Parquet bytes beside PostgreSQL's on-disk bytes for the same rows
  (``pg_total_relation_size`` of each session table after VACUUM ANALYZE; the
  database holds this session only, so every byte is the session's), against
  the design's 8:1 target, per table and in total, with and without indexes;
- what other Parquet settings would give on the same rows (re-encoded in
  memory), so the defaults can be judged;
- a DuckDB query over the archive: one county's profit-rate series over all
  ticks (wall time of ``query_archived_session``, opening the files included),
  against the design's 1 s;
- restore time after a purge (``restore_session``), checked row for row by count.

Prints a table, then the same figures as JSON (also written to ``--json``).
PostgreSQL: BABYLON_DSN if set, else the embedded server.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosql
import benchjson  # before argparse: takes --json PATH (scripts/benchjson.py)
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from babylon_sql.archive.export import DEFAULT_SETTINGS, ParquetSettings, export_session_to_parquet
from babylon_sql.archive.layout import locate_archive, session_tables
from babylon_sql.archive.purge import count_rows, purge_session
from babylon_sql.archive.query import query_archived_session
from babylon_sql.archive.restore import restore_session
from babylon_sql.hex import world as hexworld
from babylon_sql.hex.journal import (
    load_hex_map,
    refresh_hex_latest,
    seed_hex_latest,
    write_hex_activity,
    write_territory_snapshot,
)
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.admin import create_database, drop_database
from babylon_sql.server.embedded import resolve_dsn
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import apply_schema

B = aiosql.from_path(Path(__file__).parent / "sql" / "bench_archive", "psycopg")
TARGET_RATIO = 8.0
TARGET_QUERY_S = 1.0
SAMPLE_ROWS = 250_000
R = TypeVar("R")


def timed(fn: Callable[[], R]) -> tuple[float, R]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def build_session(pool: Any, scale: str, ticks: int) -> tuple[uuid.UUID, str, dict[str, Any]]:
    t_world, world = timed(lambda: hexworld.generate_world(scale, substrate=False))  # type: ignore[arg-type]
    print(
        f"world {scale}: {world.n_hexes:,} R7 hexes, {world.n_counties:,} counties "
        f"({t_world:.1f} s)",
        flush=True,
    )
    t_map, _ = timed(lambda: load_hex_map(pool, hexworld.hex_map_rows(world)))
    print(f"hex_map loaded ({t_map:.1f} s)", flush=True)
    rt = PostgresRuntime(pool)
    sid = rt.create_session(f"bench archive {scale}", {"scale": scale, "ticks": ticks})
    start = time.perf_counter()
    territory_rows = activity_rows = 0
    for tick in range(ticks):
        territory = hexworld.territory_for_tick(world, tick)
        activity = hexworld.activity_for_tick(world, tick)
        territory_rows += write_territory_snapshot(
            pool, sid, tick, hexworld.territory_rows(territory)
        )
        activity_rows += write_hex_activity(pool, sid, tick, hexworld.activity_rows(activity))
        rt.persist_tick_summary(
            tick,
            {
                "tick": tick,
                "mean_profit_rate": float(territory["profit_rate"].mean()),
                "total_heat": float(activity["heat"].sum()),
            },
            session_id=sid,
        )
        if tick == 0:
            seed_hex_latest(pool, sid)
        if tick % 20 == 19 or tick == ticks - 1:
            rate = (tick + 1) / (time.perf_counter() - start)
            print(f"  tick {tick + 1}/{ticks} ({rate:.2f} ticks/s)", flush=True)
    refresh_hex_latest(pool, sid, ticks - 1)
    info = {
        "scale": scale,
        "hexes": world.n_hexes,
        "counties": world.n_counties,
        "ticks": ticks,
        "territory_rows": territory_rows,
        "activity_rows": activity_rows,
        "build_s": round(time.perf_counter() - start, 1),
    }
    return sid, hexworld.representative_county(world), info


def encoded_bytes(table: pa.Table, settings: ParquetSettings) -> int:
    sink = io.BytesIO()
    pq.write_table(
        table,
        sink,
        row_group_size=settings.row_group_rows,
        **settings.writer_options(table.schema),
    )
    return sink.tell()


def settings_study(directory: Path, big: list[str]) -> list[dict[str, Any]]:
    """Bytes of the largest tables under other settings, re-encoded in memory."""
    variants: list[tuple[str, ParquetSettings, bool]] = [
        ("snappy, dictionary", ParquetSettings("snappy", None, True, False), False),
        ("zstd 1, dictionary", ParquetSettings("zstd", 1, True, False), False),
        ("zstd 1 + byte-stream-split floats (default)", DEFAULT_SETTINGS, False),
        ("zstd 3 + byte-stream-split floats", ParquetSettings("zstd", 3, True, True), False),
        ("zstd 9 + byte-stream-split floats", ParquetSettings("zstd", 9, True, True), False),
        ("default, rows sorted by (county or hex, tick)", DEFAULT_SETTINGS, True),
    ]
    # The first SAMPLE_ROWS rows of each: enough for every encoding to settle.
    tables = {
        name: pq.read_table(directory / f"{name}.parquet").slice(0, SAMPLE_ROWS) for name in big
    }
    out = []
    for label, settings, resort in variants:
        sizes = {}
        for name, table in tables.items():
            if resort:
                key = "county_fips" if "county_fips" in table.column_names else "h3_index"
                table = table.sort_by([(key, "ascending"), ("tick", "ascending")])
            sizes[name] = encoded_bytes(table, settings)
        out.append({"settings": label, "bytes": sizes, "total": sum(sizes.values())})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--scale", default="conus", choices=["city", "state", "region", "conus"])
    ap.add_argument("--ticks", type=int, default=260)
    ap.add_argument("--queries", type=int, default=7, help="repetitions of the DuckDB query")
    args = ap.parse_args()

    base_dsn = resolve_dsn()
    dbname = f"babylon_bench_archive_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin_dsn = make_conninfo(
        base_dsn, dbname=conninfo_to_dict(base_dsn).get("dbname") or "postgres"
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        create_database(conn, dbname)
        version = conn.info.server_version
    workdir = Path(tempfile.mkdtemp(prefix="babylon-bench-archive-"))
    print(f"archive bench: {args.scale}, {args.ticks} ticks; PostgreSQL {version}", flush=True)
    try:
        dsn = make_conninfo(base_dsn, dbname=dbname)
        with psycopg.connect(dsn) as conn:
            apply_schema(conn, warn=False)
            conn.commit()
        with open_pool(dsn, min_size=1, max_size=2) as pool:
            figures = run(pool, dsn, args, workdir)
        figures["postgres_version"] = version
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            drop_database(conn, dbname)
    report(figures)
    text = json.dumps(figures, indent=2, sort_keys=True)
    print(text)
    return 0


def run(pool: Any, dsn: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    sid, county, info = build_session(pool, args.scale, args.ticks)
    with psycopg.connect(dsn, autocommit=True) as conn:
        B.bench_archive_checkpoint(conn)
    with pool.connection() as conn:
        tables = session_tables(conn)
        counts = {t.name: count_rows(conn, t, sid) for t in tables}
        sizes = {
            name: {"total": total, "table": table, "indexes": indexes}
            for name, total, table, indexes in B.bench_archive_relation_bytes(
                conn, tables=[t.name for t in tables]
            )
        }

    out = workdir / "archive"
    t_export, paths = timed(lambda: export_session_to_parquet(pool, sid, out))
    archive = locate_archive(paths[-1])
    print(f"exported in {t_export:.1f} s", flush=True)

    per_table = []
    for name, entry in sorted(archive.tables.items()):
        pg = sizes.get(name, {"total": 0, "table": 0, "indexes": 0})
        per_table.append(
            {
                "table": name,
                "rows": entry["rows"],
                "pg_total_bytes": pg["total"],
                "pg_table_bytes": pg["table"],
                "parquet_bytes": entry["bytes"],
                "ratio": round(pg["total"] / entry["bytes"], 2) if entry["bytes"] else None,
            }
        )
    pg_total = sum(int(s["total"]) for s in sizes.values())
    pg_table = sum(int(s["table"]) for s in sizes.values())
    parquet_total = archive.total_bytes
    big = [r["table"] for r in sorted(per_table, key=lambda r: -r["parquet_bytes"])[:2]]
    study = settings_study(archive.directory, big)

    query = B.bench_archive_county_series.sql
    first_s, rows = timed(lambda: query_archived_session(out, query, {"county": county}))
    repeats = [
        timed(lambda: query_archived_session(out, query, {"county": county}))[0]
        for _ in range(args.queries)
    ]
    assert len(rows) == args.ticks, (len(rows), args.ticks)

    purge_session(pool, sid, manifest=out)
    t_restore, restored = timed(lambda: restore_session(pool, out))
    with pool.connection() as conn:
        after = {t.name: count_rows(conn, t, sid) for t in tables}
    assert after == counts, (after, counts)
    print(f"restored in {t_restore:.1f} s", flush=True)

    return {
        "session": info,
        "rows": sum(counts.values()),
        "export_s": round(t_export, 2),
        "restore_s": round(t_restore, 2),
        "restored_rows": sum(restored.values()),
        "pg_bytes": pg_total,
        "pg_bytes_without_indexes": pg_table,
        "parquet_bytes": parquet_total,
        "ratio": round(pg_total / parquet_total, 2),
        "ratio_without_indexes": round(pg_table / parquet_total, 2),
        "target_ratio": TARGET_RATIO,
        "tables": per_table,
        "parquet_settings_study": study,
        "query": {
            "what": f"profit_rate of county {county} over {args.ticks} ticks",
            "first_s": round(first_s, 3),
            "median_s": round(statistics.median(repeats), 3),
            "target_s": TARGET_QUERY_S,
        },
        "parquet_settings": archive.manifest.get("parquet"),
    }


def report(f: dict[str, Any]) -> None:
    s = f["session"]
    print()
    print(
        f"session: {s['scale']} world, {s['hexes']:,} R7 hexes, {s['counties']:,} counties, "
        f"{s['ticks']} ticks, {f['rows']:,} rows (built in {s['build_s']} s)"
    )
    print(f"{'measure':<44} {'ours':>14}  {'target':>10}")
    print(f"{'export':<44} {f['export_s']:>12.2f} s  {'':>10}")
    print(f"{'restore (after purge)':<44} {f['restore_s']:>12.2f} s  {'':>10}")
    print(f"{'PostgreSQL bytes (tables + indexes)':<44} {f['pg_bytes']:>14,}")
    print(f"{'PostgreSQL bytes (tables only)':<44} {f['pg_bytes_without_indexes']:>14,}")
    print(f"{'Parquet bytes':<44} {f['parquet_bytes']:>14,}")
    print(f"{'ratio PostgreSQL : Parquet':<44} {f['ratio']:>12.2f}:1  {'>= 8:1':>10}")
    benchjson.section = "archive"
    benchjson.record("export", f["export_s"])
    benchjson.record("restore (after purge)", f["restore_s"])
    benchjson.record(
        "PostgreSQL : Parquet bytes", f["ratio"], unit="x", target=">= 8", better="higher"
    )
    print(f"{'ratio without indexes':<44} {f['ratio_without_indexes']:>12.2f}:1")
    q = f["query"]
    print(f"{'DuckDB: ' + q['what']:<44}")
    print(
        f"{'  first run / median':<44} {q['first_s']:>6.3f} / {q['median_s']:.3f} s  {'<= 1 s':>10}"
    )
    print()
    print(f"{'table':<28} {'rows':>12} {'PostgreSQL':>14} {'Parquet':>12} {'ratio':>7}")
    for t in f["tables"]:
        ratio = f"{t['ratio']:.1f}" if t["ratio"] is not None else "-"
        print(
            f"{t['table']:<28} {t['rows']:>12,} {t['pg_total_bytes']:>14,} "
            f"{t['parquet_bytes']:>12,} {ratio:>7}"
        )
    print()
    print(
        f"Parquet settings on the two largest tables (first {SAMPLE_ROWS:,} rows of each, "
        "re-encoded in memory; bytes):"
    )
    for v in f["parquet_settings_study"]:
        print(f"  {v['settings']:<52} {v['total']:>12,}")
    print()
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
