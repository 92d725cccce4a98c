"""Server-side execution time of a read, as ``EXPLAIN ANALYZE`` reports it.

Shared by the benchmarks that time reads on PostgreSQL: a read's latency is
the server's execution time, printed beside the client's fetch of the same
rows. The ``EXPLAIN`` wrapper is ``scripts/sql/bench_explain/explain_analyze.sql``.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import aiosql
import psycopg
from psycopg import sql

EXPLAIN = aiosql.from_path(Path(__file__).parent / "sql" / "bench_explain", "psycopg")


def server_seconds(conn: psycopg.Connection[Any], query: Any, params: dict[str, Any]) -> float:
    """One ``EXPLAIN ANALYZE`` of ``query`` (an aiosql query): its execution time, in seconds."""
    wrapper = sql.SQL(EXPLAIN.explain_analyze.sql)
    stmt = wrapper.format(query=sql.SQL(query.sql.rstrip().rstrip(";")))
    plan = conn.execute(stmt, params).fetchone()
    assert plan is not None
    doc = plan[0] if not isinstance(plan[0], str) else json.loads(plan[0])
    return float(doc[0]["Execution Time"]) / 1000.0


def median_server_seconds(
    conn: psycopg.Connection[Any], query: Any, params: dict[str, Any], repeat: int = 5
) -> float:
    """The median of ``repeat`` :func:`server_seconds`."""
    return statistics.median(server_seconds(conn, query, params) for _ in range(repeat))
