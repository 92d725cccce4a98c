"""``scripts/demo``: apply the schema and show what exists.

Applies every layer the server supports (the embedded PostgreSQL 18 unless a
DSN is configured), then persists a small graph through a session, reads it
back, and prints a summary of the schema's tables, views and indexes.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

import networkx as nx

from babylon_sql.catalogue import queries
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.server.pool import open_pool
from babylon_sql.server.schema import SkippedObjectsWarning


def _small_world() -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph(economy={"gdp": 1.0e12}, year=2024)
    g.add_node("core", node_type="territory", wealth=100.0)
    g.add_node("periphery", node_type="territory", wealth=10.0)
    g.add_edge("periphery", "core", edge_type="imperial_rent", flow=2.5)
    return g


def main() -> None:
    with open_pool() as pool:
        runtime = PostgresRuntime(pool)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SkippedObjectsWarning)
            report = runtime.init_schema()
        with pool.connection() as conn:
            server = conn.info.server_version
            objects = list(queries("pg").server.schema_objects(conn))
        print(
            f"PostgreSQL {server // 10000}.{server % 10000}: applied {len(report.applied)} layers"
        )
        for name in report.applied:
            print(f"  + {name}")
        for name, missing in report.skipped.items():
            print(f"  - {name} (needs {', '.join(missing)})")
        for warning in caught:
            print(f"warning: {warning.message}")
        kinds = Counter(kind for _name, kind, _comment in objects)
        print("objects: " + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())))
        for name, kind, comment in objects:
            if kind in ("table", "partitioned table", "view"):
                print(f"  {kind:<18} {name:<28} {(comment or '')[:70]}")
        sid = runtime.create_session("demo", {"source": "scripts/demo"})
        graph = _small_world()
        runtime.persist_tick(0, graph, [{"type": "demo"}], session_id=sid)
        back = runtime.hydrate_graph(0, session_id=sid)
        same = nx.utils.graphs_equal(graph, back) and graph.graph == back.graph
        verdict = "identical" if same else "DIFFERENT"
        print(f"session {sid}: persisted tick 0 and read it back ({verdict})")
        runtime.close()


if __name__ == "__main__":
    main()
