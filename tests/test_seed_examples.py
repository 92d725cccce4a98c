"""The design document's code examples, run as written.

Only the import prefix changes (``babylon.persistence`` → ``babylon_sql``,
``babylon.engine.observers.persistence_observer`` → ``babylon_sql.observer``).
Names an example takes from its surroundings (``graph``, ``session_id``,
``chunks``, ``embedding``, ``game_id`` ...) are set up before it runs.
``conninfo="dbname=babylon"`` reaches the test server through the standard
``PG*`` variables and a database named ``babylon`` cloned from the template.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import psycopg
import pytest
from conftest import PgServer
from psycopg.conninfo import conninfo_to_dict

from babylon_sql.server.admin import clone_database, drop_database
from babylon_sql.server.schema import SkippedObjectsWarning

# The examples build pools the way the design document does
# (ConnectionPool(conninfo=...), opened implicitly); psycopg_pool advises
# opening them explicitly, which our own code does.
pytestmark = pytest.mark.filterwarnings(
    "ignore:the default for the ConnectionPool 'open' parameter:DeprecationWarning"
)


@pytest.fixture
def babylon_db(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database named ``babylon`` with the schema, reachable as ``dbname=babylon``."""
    params = conninfo_to_dict(pg_server.admin_dsn)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER")):
        if params.get(key):
            monkeypatch.setenv(var, str(params[key]))
        else:
            monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("PGDATABASE", raising=False)
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        drop_database(conn, "babylon")
        clone_database(conn, "babylon", pg_server.template)
    try:
        yield "dbname=babylon"
    finally:
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, "babylon")


def _session(dsn: str) -> uuid.UUID:
    from babylon_sql.catalogue import queries

    with psycopg.connect(dsn) as conn:
        sid = queries("pg").runtime.session.create_session(
            conn, name="seed", status="running", config="{}"
        )
    return uuid.UUID(str(sid))


def _graph() -> nx.DiGraph[Any]:
    graph: nx.DiGraph[Any] = nx.DiGraph()
    graph.add_edge("periphery", "core", flow=1.0)
    return graph


def test_postgres_runtime_example(babylon_db: str, pg_server: PgServer) -> None:
    graph = _graph()
    session_id = _session(babylon_db)
    # A server without PostGIS warns which objects init_schema() skipped.
    expected = (
        contextlib.nullcontext()
        if pg_server.has("postgis")
        else pytest.warns(SkippedObjectsWarning, match="hex_cell")
    )

    from psycopg_pool import ConnectionPool

    from babylon_sql import PostgresRuntime

    with expected:
        pool = ConnectionPool(conninfo="dbname=babylon")
        with PostgresRuntime(pool) as pg:
            pg.init_schema()
            pg.persist_tick(tick=0, graph=graph, session_id=session_id)

    assert pool.closed
    check = ConnectionPool(conninfo=babylon_db)
    with PostgresRuntime(check) as again:
        assert nx.utils.graphs_equal(again.hydrate_graph(0, session_id=session_id), graph)


def test_runtime_database_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    graph = _graph()

    from babylon_sql import RuntimeDatabase

    # In-memory for tests
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(tick=0, graph=graph)

    # File-based
    with RuntimeDatabase(run_id="experiment_001") as db:
        graph = db.hydrate_graph(tick=5)

    assert (tmp_path / "data" / "runs" / "experiment_001.sqlite").exists()
    assert graph.number_of_nodes() == 0


def test_pg_vector_store_example(babylon_db: str) -> None:
    rng = np.random.default_rng(0)
    chunks = [
        {"id": f"c{i}", "document": f"text {i}", "embedding": rng.normal(size=768)}
        for i in range(20)
    ]
    embedding = chunks[3]["embedding"]

    from psycopg_pool import ConnectionPool

    from babylon_sql import PgVectorStore

    pool = ConnectionPool(conninfo="dbname=babylon")
    store = PgVectorStore(pool, dimension=768)
    store.add_chunks(chunks)
    ids, docs, embeddings, metadatas, distances = store.query_similar(  # noqa: RUF059
        query_embedding=embedding, k=5
    )

    assert ids[0] == "c3"
    assert len(ids) == 5
    assert distances[0] == pytest.approx(0.0, abs=1e-5)
    pool.close()


def test_trace_recorder_example(babylon_db: str) -> None:
    session_id = _session(babylon_db)
    from psycopg_pool import ConnectionPool

    from babylon_sql import PostgresRuntime as _Runtime

    pg_runtime = _Runtime(ConnectionPool(conninfo=babylon_db))

    from babylon_sql import TraceRecorder
    from babylon_sql.protocols import TraceLevel

    recorder = TraceRecorder(level=TraceLevel.DEBUG, persistence=pg_runtime)
    # During tick (in-memory only):
    recorder.trace("ImperialRentSystem", "formula_eval", {"rent": 42.0})
    # After tick (flushes to DB):
    recorder.flush(session_id=session_id, tick=0)

    assert [t["data"] for t in pg_runtime.get_traces(session_id)] == [{"rent": 42.0}]
    pg_runtime.close()


def test_persistence_observer_example(babylon_db: str) -> None:
    from psycopg_pool import ConnectionPool

    from babylon_sql import PostgresRuntime, TraceLevel, TraceRecorder

    postgres_runtime = PostgresRuntime(ConnectionPool(conninfo=babylon_db))
    session_id = postgres_runtime.create_session("observer example")
    trace_recorder = TraceRecorder(level=TraceLevel.DEBUG, persistence=postgres_runtime)

    class Simulation:
        def __init__(self) -> None:
            self.observers: list[Any] = []

        def attach_observer(self, observer: Any) -> None:
            self.observers.append(observer)

    simulation = Simulation()

    from babylon_sql.observer import PersistenceObserver

    observer = PersistenceObserver(
        persistence=postgres_runtime,
        session_id=session_id,
        tracer=trace_recorder,
    )
    simulation.attach_observer(observer)

    assert simulation.observers == [observer]
    postgres_runtime.close()


def test_hex_journal_examples(babylon_db: str) -> None:
    import h3
    from psycopg_pool import ConnectionPool

    from babylon_sql import PostgresRuntime
    from babylon_sql.hex.journal import load_hex_map, write_hex_activity, write_territory_snapshot

    setup_pool = ConnectionPool(conninfo=babylon_db)
    game_id = _session(babylon_db)
    # six real R7 cells (H3 indexes are validated), as ints and as hex text
    ring = sorted(h3.grid_disk("872830828ffffff", 1))[:6]
    hexes: list[int | str] = [int(c, 16) for c in ring[:3]] + ring[3:]
    load_hex_map(
        setup_pool, [{"h3_index": h, "county_fips": f"0600{i % 2}"} for i, h in enumerate(hexes)]
    )
    for t in range(43):  # the journal grows one tick at a time; quiet ticks are ticks
        if t in (0, 42):
            write_territory_snapshot(
                setup_pool,
                game_id,
                t,
                [
                    {"county_fips": "06000", "value_tensor": [1.0] * 12, "profit_rate": 0.1 + t},
                    {"county_fips": "06001", "value_tensor": [2.0] * 12, "profit_rate": 0.2 + t},
                ],
            )
        else:
            write_hex_activity(setup_pool, game_id, t, [])
    pool = setup_pool
    tick = 42

    from babylon_sql.hex.journal import seed_hex_latest

    inserted = seed_hex_latest(pool, game_id)  # After territory_snapshot + hex_map init

    pg = PostgresRuntime(pool)
    pg.refresh_hex_latest(game_id=game_id, tick=tick)
    rows = pg.reconstruct_hex_state(game_id=game_id, tick=42)

    assert inserted == 6
    assert len(rows) == 6
    assert {round(r["profit_rate"], 6) for r in rows} == {42.1, 42.2}
    pg.close()
