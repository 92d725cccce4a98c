"""A writer process for the kill tests, and the graphs it writes.

``python reliability_writer.py pg DSN SESSION_ID START`` (or ``sqlite FILE
RUN_ID START``) persists ticks START, START+1, ... forever, printing
``begin T`` before and ``committed T`` after each ``persist_tick``; the test
kills it with SIGKILL at a random moment. The graph of tick T is
:func:`tick_graph` (its size varies with T), so a reader can tell a whole
tick from a partial one.
"""

from __future__ import annotations

import sys
from typing import Any

import networkx as nx


def tick_size(tick: int) -> int:
    """Nodes of tick ``tick``'s graph: 150-449, changing every tick."""
    return 150 + (tick * 97) % 300


def tick_graph(tick: int, owner: int = 0, size: int | None = None) -> nx.DiGraph[Any]:
    """The graph a writer persists at ``tick``: every row says whose and which tick it is."""
    n = tick_size(tick) if size is None else size
    g: nx.DiGraph[Any] = nx.DiGraph(tick=tick, owner=owner)
    for i in range(n):
        g.add_node(f"n{i}", owner=owner, tick=tick, wealth=i * 1.5, label=f"node {i} of {tick}")
    for i in range(n):
        g.add_edge(f"n{i}", f"n{(i * 7 + tick + 1) % n}", owner=owner, tick=tick, w=i % 11)
        g.add_edge(f"n{i}", f"n{(i + 1) % n}", owner=owner, tick=tick, w=-1)
    return g


def tick_events(tick: int, owner: int = 0) -> list[dict[str, Any]]:
    """The events of tick ``tick``: 1-5 of them."""
    return [
        {"event_type": "step", "owner": owner, "tick": tick, "k": k} for k in range(1 + tick % 5)
    ]


def _main(argv: list[str]) -> None:
    backend, target, key, start = argv
    tick = int(start)
    if backend == "pg":
        import uuid

        from babylon_sql.runtime.postgres import PostgresRuntime
        from babylon_sql.server.pool import open_pool

        runtime: Any = PostgresRuntime(open_pool(target, min_size=1, max_size=1))
        session: Any = uuid.UUID(key)
    else:
        from pathlib import Path

        from babylon_sql.runtime.sqlite import RuntimeDatabase

        path = Path(target)
        runtime = RuntimeDatabase(run_id=path.stem, base_dir=path.parent)
        session = None
    print("ready", flush=True)
    while True:
        graph = tick_graph(tick)
        events = tick_events(tick)
        print(f"begin {tick}", flush=True)
        runtime.persist_tick(tick, graph, events, session_id=session)
        print(f"committed {tick}", flush=True)
        tick += 1


if __name__ == "__main__":
    _main(sys.argv[1:])
