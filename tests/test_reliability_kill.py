"""SIGKILL of a writer process at random moments, on PostgreSQL and on an SQLite file.

After every kill: every persisted tick is whole (its node, edge and event
rows match the graph that tick had), no row is orphaned, every tick the
writer reported committed is there, and the next writer continues from the
latest tick. ``BABYLON_RELIAB_KILLS`` sets the number of kills per backend
(10 here; ``scripts/soak`` runs 50); ``BABYLON_RELIAB_SEED`` the random seed.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import aiosql
import psycopg
from psycopg_pool import ConnectionPool
from reliability_writer import tick_events, tick_graph

from babylon_sql.runtime.postgres import PostgresRuntime

KILLS = int(os.environ.get("BABYLON_RELIAB_KILLS", "10"))
SEED = int(os.environ.get("BABYLON_RELIAB_SEED", "13"))
WRITER = Path(__file__).parent / "reliability_writer.py"
SQL = Path(__file__).parent / "sql" / "reliability" / "common"
PG_COMMON = aiosql.from_path(SQL, "psycopg")
SQLITE_COMMON = aiosql.from_path(SQL, "sqlite3")


@cache
def _expected(tick: int) -> tuple[int, int, int]:
    g = tick_graph(tick)
    return g.number_of_nodes(), g.number_of_edges(), len(tick_events(tick))


@dataclass
class Figures:
    backend: str
    kills: int = 0
    kills_during_a_write: int = 0
    committed: set[int] = field(default_factory=set)
    ticks: int = 0
    partial_ticks: int = 0
    orphan_rows: int = 0
    lost_commits: int = 0
    gaps: int = 0

    def line(self) -> str:
        return (
            f"{self.backend}: {self.kills} SIGKILLs ({self.kills_during_a_write} during a "
            f"write), {self.ticks} ticks persisted, {self.partial_ticks} partial ticks, "
            f"{self.orphan_rows} orphan rows, {self.lost_commits} lost commits, "
            f"{self.gaps} gaps in the tick sequence"
        )


Audit = Callable[[], tuple[Sequence[Sequence[Any]], int]]


def _kill_writers(backend: str, target: str, key: str, audit: Audit) -> Figures:
    rng = random.Random(SEED)
    figures = Figures(backend)
    start = 0
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), backend, target, key, str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.35))
        proc.send_signal(signal.SIGKILL)
        lines = proc.communicate(timeout=60)[0].split()
        assert proc.returncode == -signal.SIGKILL
        figures.kills += 1
        begun = [int(t) for word, t in itertools.pairwise(lines) if word == "begin"]
        done = {int(t) for word, t in itertools.pairwise(lines) if word == "committed"}
        figures.committed |= done
        if begun and begun[-1] not in done:
            figures.kills_during_a_write += 1
        rows, orphans = audit()
        ticks = [int(row[1]) for row in rows]
        figures.ticks = len(ticks)
        figures.orphan_rows += orphans
        figures.partial_ticks += sum(
            1
            for _, tick, node_count, edge_count, nodes, edges, events in rows
            if not (
                node_count == nodes
                and edge_count == edges
                and (nodes, edges, events) == _expected(int(tick))
            )
        )
        figures.lost_commits = len(figures.committed - set(ticks))
        figures.gaps += int(ticks != list(range(len(ticks))))
        start = ticks[-1] + 1 if ticks else 0  # the next run continues
    print(f"\n{figures.line()}")
    return figures


def _assert_clean(figures: Figures) -> None:
    assert figures.kills == KILLS
    assert figures.partial_ticks == 0
    assert figures.orphan_rows == 0
    assert figures.lost_commits == 0
    assert figures.gaps == 0
    assert figures.ticks >= len(figures.committed) > 0


def test_sigkill_of_a_postgresql_writer(pg_dsn: str) -> None:
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(pg_dsn, min_size=1, open=False)
    with PostgresRuntime(pool) as rt:
        sid = rt.create_session("killed writers")

    def audit() -> tuple[Sequence[Sequence[Any]], int]:
        with psycopg.connect(pg_dsn) as conn:
            rows = [row for row in PG_COMMON.tick_audit(conn) if row[0] == sid]
            return rows, int(PG_COMMON.orphan_rows(conn))

    _assert_clean(_kill_writers("pg", pg_dsn, str(sid), audit))


def test_sigkill_of_an_sqlite_writer(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite"

    def audit() -> tuple[Sequence[Sequence[Any]], int]:
        conn = sqlite3.connect(path)
        try:
            return list(SQLITE_COMMON.tick_audit(conn)), int(SQLITE_COMMON.orphan_rows(conn))
        finally:
            conn.close()

    _assert_clean(_kill_writers("sqlite", str(path), "-", audit))
