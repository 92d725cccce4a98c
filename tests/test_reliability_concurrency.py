"""Concurrent sessions on one PostgreSQL: no deadlock, no row of one session in another.

``BABYLON_RELIAB_SESSIONS`` x ``BABYLON_RELIAB_TICKS`` (8 x 25 here;
``scripts/soak`` runs 8 x 100) writer threads share one pool; every session
writes the same node ids, with its own number in every attribute.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import aiosql
import psycopg
from reliability_writer import tick_events, tick_graph

from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.pool import open_pool

SESSIONS = int(os.environ.get("BABYLON_RELIAB_SESSIONS", "8"))
TICKS = int(os.environ.get("BABYLON_RELIAB_TICKS", "25"))
SIZE = 60
COMMON = aiosql.from_path(Path(__file__).parent / "sql" / "reliability" / "common", "psycopg")


def test_concurrent_sessions_neither_deadlock_nor_mix(pg_dsn: str) -> None:
    with PostgresRuntime(open_pool(pg_dsn, min_size=SESSIONS, max_size=SESSIONS)) as rt:
        sids = [rt.create_session(f"concurrent {k}") for k in range(SESSIONS)]

        def write(owner: int) -> int:
            for tick in range(TICKS):
                rt.persist_tick(
                    tick,
                    tick_graph(tick, owner=owner, size=SIZE),
                    tick_events(tick, owner=owner),
                    session_id=sids[owner],
                )
                rt.log_tick(tick, wall_time_ms=float(owner), session_id=sids[owner])
                rt.set_metadata("owner", str(owner), session_id=sids[owner])
            return owner

        started = time.monotonic()
        with ThreadPoolExecutor(SESSIONS) as pool:
            futures = [pool.submit(write, k) for k in range(SESSIONS)]
            done = [f.result(timeout=600) for f in futures]  # a deadlock raises here
        elapsed = time.monotonic() - started
        assert done == list(range(SESSIONS))

        foreign = 0
        for owner, sid in enumerate(sids):
            assert rt.get_metadata("owner", session_id=sid) == str(owner)
            for tick in range(TICKS):
                g = rt.hydrate_graph(tick, session_id=sid)
                assert g.number_of_nodes() == SIZE
                assert g.graph == {"tick": tick, "owner": owner}
                foreign += sum(
                    1 for _, a in g.nodes(data=True) if (a["owner"], a["tick"]) != (owner, tick)
                )
                foreign += sum(
                    1 for *_, a in g.edges(data=True) if (a["owner"], a["tick"]) != (owner, tick)
                )
                events = rt.get_events(tick, session_id=sid)
                foreign += sum(1 for e in events if e["owner"] != owner)
                log = rt.get_tick_log(tick, session_id=sid)
                assert log is not None
                assert log["wall_time_ms"] == float(owner)
    with psycopg.connect(pg_dsn) as conn:
        audit: list[Any] = list(COMMON.tick_audit(conn))
        orphans = COMMON.orphan_rows(conn)
    partial = sum(1 for _, _, nc, ec, n, e, _ in audit if (nc, ec) != (n, e))
    print(
        f"\npostgresql: {SESSIONS} concurrent sessions x {TICKS} ticks in {elapsed:.1f} s, "
        f"0 deadlocks, {foreign} rows of another session, {partial} partial ticks, "
        f"{orphans} orphan rows"
    )
    assert len(audit) == SESSIONS * TICKS
    assert foreign == 0
    assert partial == 0
    assert orphans == 0
