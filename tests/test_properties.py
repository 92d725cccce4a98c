"""Property tests (hypothesis): what goes in comes back, exactly.

- random graphs with random attribute values round-trip through PostgreSQL
  and an SQLite file: the same node and edge order, the same values of the
  same types (``1`` stays an int, ``1.0`` and ``-0.0`` stay floats, key order
  kept), ``graph.graph`` included. 500 examples per backend, one database
  each, small graphs;
- random games records (sessions and policy iterations) round-trip through
  a DuckDB file (a fifth as many examples: each saves through Arrow).

``BABYLON_PROPERTY_EXAMPLES`` changes the number of examples.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import networkx as nx
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg_pool import ConnectionPool

from babylon_sql.games.repository import (
    DatabaseManager,
    GameMode,
    GameRepository,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
)
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.runtime.sqlite import RuntimeDatabase

EXAMPLES = int(os.environ.get("BABYLON_PROPERTY_EXAMPLES", "500"))
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)

# The exact part of the codec (README: "What the backends promise").
LEAVES = (
    st.none()
    | st.booleans()
    | INT64
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
ATTRS = st.dictionaries(st.text(max_size=8), VALUES, max_size=4)
# Node ids the codec keeps: no NUL, no lone surrogate (both refused, see
# test_hostile_input); characters() alone draws surrogates (category Cs).
NODE_IDS = (
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=10
    )
    | INT64
)


@st.composite
def graphs(draw: st.DrawFn) -> nx.DiGraph[Any]:
    ids = draw(st.lists(NODE_IDS, max_size=6, unique_by=lambda n: str(n)))
    g: nx.DiGraph[Any] = nx.DiGraph(**draw(ATTRS))
    for node in ids:
        g.add_node(node, **draw(ATTRS))
    if ids:
        pairs = draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8, unique=True)
        )
        for source, target in pairs:
            g.add_edge(source, target, **draw(ATTRS))
    return g


def typed(value: Any) -> Any:
    """``value`` with every type made visible: equal only when exactly equal."""
    if isinstance(value, bool) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", value.hex())
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    raise TypeError(type(value))


def exactly(g: nx.DiGraph[Any]) -> Any:
    return (
        typed(dict(g.graph)),
        [(typed(n), typed(dict(a))) for n, a in g.nodes(data=True)],
        [(typed(s), typed(t), typed(dict(a))) for s, t, a in g.edges(data=True)],
    )


def _round_trips(
    persist: Callable[[int, nx.DiGraph[Any]], None], hydrate: Any
) -> Callable[..., None]:
    ticks = itertools.count()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(graphs())
    def check(graph: nx.DiGraph[Any]) -> None:
        tick = next(ticks) % 50  # later examples replace earlier ticks
        persist(tick, graph)
        assert exactly(hydrate(tick)) == exactly(graph)

    return check


@pytest.fixture
def pg_property_runtime(pg_dsn: str) -> Iterator[tuple[PostgresRuntime, Any]]:
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(pg_dsn, min_size=1, open=False)
    with PostgresRuntime(pool) as rt:
        yield rt, rt.create_session("properties")


def test_random_graphs_round_trip_exactly_through_postgresql(
    pg_property_runtime: tuple[PostgresRuntime, Any],
) -> None:
    rt, sid = pg_property_runtime
    _round_trips(
        lambda tick, g: rt.persist_tick(tick, g, session_id=sid),
        lambda tick: rt.hydrate_graph(tick, session_id=sid),
    )()


def test_random_graphs_round_trip_exactly_through_an_sqlite_file(tmp_path: Path) -> None:
    with RuntimeDatabase(run_id="properties", base_dir=tmp_path) as db:
        _round_trips(db.persist_tick, db.hydrate_graph)()


# -- games records through DuckDB ---------------------------------------------

TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12
)
NAME = TEXT.filter(lambda s: bool(s.strip()))
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)
ZONES = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-14 * 60, 14 * 60)
)
TIMES = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=ZONES | st.just(UTC)
)
JSON_TEXT = st.recursive(
    st.none() | st.booleans() | INT64 | FINITE | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=5,
).map(json.dumps)


@st.composite
def game_records(draw: st.DrawFn) -> tuple[GameSessionRecord, list[PolicyIterationRecord]]:
    game_id = draw(NAME)
    session = GameSessionRecord(
        game_id=game_id,
        scenario_config=draw(TEXT),
        master_seed=draw(INT64),
        game_mode=draw(st.sampled_from([m.value for m in GameMode])),
        config_json=draw(JSON_TEXT),
        started_at=draw(TIMES),
        status=draw(st.sampled_from([s.value for s in GameStatus])),
        optimized_agents=draw(st.lists(TEXT, max_size=3)),
        completed_at=draw(st.none() | TIMES),
        total_iterations=draw(st.integers(0, 2**31 - 1)),
        converged=draw(st.booleans()),
        final_cost=draw(st.none() | FINITE),
    )
    agents = draw(st.lists(NAME, min_size=1, max_size=2, unique=True))
    numbers = draw(st.lists(st.integers(1, 2**31 - 1), max_size=3, unique=True))
    iterations = [
        PolicyIterationRecord(
            game_id=game_id,
            agent_id=agent,
            iteration_number=number,
            trigger_tick=draw(st.integers(0, 2**31 - 1)),
            old_policy_json=draw(JSON_TEXT),
            new_policy_json=draw(JSON_TEXT),
            old_cost=draw(FINITE),
            new_cost=draw(FINITE),
            cost_improvement=draw(FINITE),
            was_accepted=draw(st.booleans()),
            validation_errors=draw(st.lists(TEXT, max_size=2)),
            llm_model=draw(TEXT),
            llm_latency_seconds=draw(st.floats(0, 1e6)),
            tokens_used=draw(st.integers(0, 2**31 - 1)),
            created_at=draw(TIMES),
        )
        for agent in agents
        for number in numbers
    ]
    return session, iterations


def test_random_games_records_round_trip_through_duckdb(tmp_path: Path) -> None:
    with DatabaseManager(tmp_path / "games.duckdb") as manager:
        repo = GameRepository(manager.conn)
        repo.initialize_schema()

        @settings(
            max_examples=max(EXAMPLES // 5, 20),
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        )
        @given(game_records())
        def check(records: tuple[GameSessionRecord, list[PolicyIterationRecord]]) -> None:
            session, iterations = records
            repo.save_game_session(session)
            repo.save_policy_iterations(iterations)
            assert repo.get_game_session(session.game_id) == session
            back = {
                (b.agent_id, b.iteration_number): b
                for b in repo.get_policy_iterations(session.game_id)
            }
            for it in (
                iterations
            ):  # each saved record reads back equal (a later save of a key replaces it)
                assert back[(it.agent_id, it.iteration_number)] == it

        check()


# -- the row encoder: its batch path and its row loop agree --------------------

HOSTILE_LEAVES = (
    LEAVES
    | st.sampled_from([float("nan"), float("inf"), float("-inf"), "null", "a null", ("t", 1)])
    | st.sets(st.integers(0, 3), max_size=2)
)
HOSTILE_VALUES = st.recursive(
    HOSTILE_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
TYPE_VALUES = (
    st.sampled_from(["worker", "", "x" * 300, "ünï", "a\x00b", None, 7, 7.0, True]) | HOSTILE_VALUES
)


@st.composite
def hostile_attrs(draw: st.DrawFn, type_key: str) -> dict[str, Any]:
    attrs = draw(st.dictionaries(st.text(max_size=8), HOSTILE_VALUES, max_size=4))
    if draw(st.booleans()):
        attrs[type_key] = draw(TYPE_VALUES)
    return attrs


@st.composite
def hostile_graphs(draw: st.DrawFn) -> nx.DiGraph[Any]:
    ids = draw(st.lists(NODE_IDS, max_size=6, unique_by=lambda n: str(n)))
    g: nx.DiGraph[Any] = nx.DiGraph()
    for node in ids:
        g.add_node(node, **draw(hostile_attrs("node_type")))
    if ids:
        pairs = draw(
            st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=8, unique=True)
        )
        for source, target in pairs:
            g.add_edge(source, target, **draw(hostile_attrs("edge_type")))
    return g


def _outcome(make: Callable[[], list[Any]]) -> Any:
    try:
        return ("rows", make())
    except Exception as exc:  # the error itself is what is compared
        return ("error", type(exc), str(exc))


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(hostile_graphs(), st.integers(min_value=24, max_value=400))
def test_the_batch_path_and_the_row_loop_give_the_same_rows_or_error(
    graph: nx.DiGraph[Any], limit: int
) -> None:
    """``persist_tick``'s rows are built per batch in C unless a batch needs a
    closer look; either way the rows, or the first bad row's error, are those
    of checking every row on its own (the row loop over the whole graph)."""
    from babylon_sql.runtime.graph import GraphEncoder

    encoder = GraphEncoder(graph, max_document_bytes=limit)
    ids, attrs = list(graph), [graph.nodes[n] for n in graph]
    edges = list(graph.edges(data=True))
    fast_nodes = _outcome(lambda: [r for b in encoder.node_batches("s", 1) for r in b])
    slow_nodes = _outcome(lambda: encoder._node_loop(("s", 1), 0, ids, attrs))
    assert fast_nodes == slow_nodes
    fast_edges = _outcome(lambda: [r for b in encoder.edge_batches("s", 1) for r in b])
    slow_edges = _outcome(
        lambda: encoder._edge_loop(
            ("s", 1), 0, [e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges]
        )
    )
    assert fast_edges == slow_edges
