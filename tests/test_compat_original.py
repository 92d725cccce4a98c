"""Drop-in compatibility with the original APIs (issue 15).

Written from the originals' documented signatures and row shapes
(percy-raskova/babylon ``src/babylon/persistence`` at c784bfa1, aerugo/SimCash
``ai_cash_mgmt/persistence`` and ``persistence/connection.py`` at 1af2b0a4):
each call the original engine or SimCash makes, on real servers. The second
half ports the originals' behavioural tests (those without mocks, private
tables or SQL text), in this project's words.
"""

from __future__ import annotations

import enum
import json
import pickle
import random
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosql
import duckdb
import networkx as nx
import numpy as np
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql import PgVectorStore, PostgresRuntime, RuntimeDatabase, TraceRecorder
from babylon_sql.errors import (
    DatabaseClosedError,
    DuplicateTurnError,
    SchemaValidationError,
    SerializationError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.games import (
    DatabaseManager,
    GameRepository,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
    get_connection,
)
from babylon_sql.protocols import (
    PostgresRuntimeExtensions,
    RuntimePersistence,
    TraceCollector,
    TraceLevel,
    VectorStoreProtocol,
)

Pool = ConnectionPool[psycopg.Connection[Any]]
SQL = Path(__file__).parent / "sql"
T = aiosql.from_path(SQL / "archival", "psycopg")

SESSION_KEYS = [
    "id", "player_id", "scenario", "current_tick", "status", "config_json",
    "game_defines_json", "trace_level", "rng_seed", "created_at", "updated_at",
]  # fmt: skip


def graph_of(n: int, value: float = 1.0) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    for i in range(n):
        g.add_node(f"c_{i}", type="SocialClass", wealth=value * i, tick=value)
    for i in range(n - 1):
        g.add_edge(f"c_{i}", f"c_{i + 1}", type="EXPLOITATION", weight=0.5)
    return g


# =========================================================================== the original's calls
# --------------------------------------------------------------------------- sessions


def test_create_session_in_the_original_form(pg_runtime: PostgresRuntime, pg_pool: Pool) -> None:
    sid = pg_runtime.create_session(
        scenario="test_integration", config_json={"a": 1}, game_defines_json={"g": 2}, rng_seed=42
    )
    assert isinstance(sid, uuid.UUID)
    info = pg_runtime.get_session(sid)
    assert isinstance(info, dict)
    assert list(info)[: len(SESSION_KEYS)] == SESSION_KEYS
    assert info["id"] == sid
    assert (info["scenario"], info["status"], info["current_tick"]) == (
        "test_integration",
        "active",
        0,
    )
    assert (info["config_json"], info["game_defines_json"]) == ({"a": 1}, {"g": 2})
    assert (info["rng_seed"], info["trace_level"], info["player_id"]) == (42, "NONE", None)
    assert info["created_at"].tzinfo is not None
    json.dumps(info, default=str)  # a plain dict for JSON responses
    # Positional, with the keyword-only extras; a trace level gets a partition.
    traced = pg_runtime.create_session("s2", {}, {}, 7, trace_level="DEBUG", player_id=3)
    info = pg_runtime.get_session(traced)
    assert info is not None
    assert (info["trace_level"], info["player_id"], info["rng_seed"]) == ("DEBUG", 3, 7)
    pg_runtime.persist_traces(traced, 0, [{"system": "S", "event": "e", "data": {}}])
    assert [r[7] for r in T.trace_rows(pg_pool.getconn(), session_id=traced)] == [
        "trace_log_s_" + traced.hex
    ]
    # current_tick follows the persisted ticks.
    pg_runtime.persist_tick(4, graph_of(2), session_id=sid)
    assert pg_runtime.get_session(sid)["current_tick"] == 4  # type: ignore[index]
    with pytest.raises(ValidationError, match="trace_level"):
        pg_runtime.create_session("s3", {}, {}, 1, trace_level="LOUD")
    with pytest.raises(ValidationError, match="rng_seed"):
        pg_runtime.create_session("s3", {}, {}, 2**64)


def test_our_session_form_still_works_and_reads_both_ways(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("mine", {"seed": 1})
    info = pg_runtime.get_session(sid)
    assert info is not None
    assert (info.session_id, info.name, info.status, info.config) == (
        sid,
        "mine",
        "created",
        {"seed": 1},
    )
    assert (info["id"], info["scenario"], info["status"]) == (sid, "mine", "created")
    assert info["rng_seed"] is None
    with pytest.raises(ValidationError, match="not both"):
        pg_runtime.create_session(name="a", scenario="b")


def test_get_active_sessions(pg_runtime: PostgresRuntime) -> None:
    assert pg_runtime.get_active_sessions() == []
    first = pg_runtime.create_session("a", {}, {}, 1)
    second = pg_runtime.create_session("b", {}, {}, 2)
    pg_runtime.create_session("ours")  # "created", not active
    active = pg_runtime.get_active_sessions()
    assert [s["id"] for s in active] == [second, first]
    pg_runtime.update_session_status(first, "completed")
    assert [s["id"] for s in pg_runtime.get_active_sessions()] == [second]


# --------------------------------------------------------------------------- turns


def test_game_turns(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("turns", {}, {}, 1)
    first = pg_runtime.submit_turn(
        sid, 1, "org_a", "ORGANIZE", action_type="RECRUIT", target_id="n1", params_json={"k": 1.5}
    )
    second = pg_runtime.submit_turn(sid, 1, "org_b", "ATTACK", target_community="workers")
    assert isinstance(first, int)
    assert second > first
    pending = pg_runtime.get_pending_turns(sid, 1)
    assert next(list(t) for t in pending) == [
        "id", "session_id", "tick", "org_id", "verb", "action_type", "target_id",
        "target_community", "params_json", "submitted_at", "resolved",
    ]  # fmt: skip
    assert [(t["id"], t["org_id"], t["verb"], t["resolved"]) for t in pending] == [
        (first, "org_a", "ORGANIZE", False),
        (second, "org_b", "ATTACK", False),
    ]
    assert pending[0]["params_json"] == {"k": 1.5}
    assert pending[1]["params_json"] is None
    assert pending[1]["target_community"] == "workers"
    with pytest.raises(psycopg.errors.UniqueViolation, match="org_a"):
        pg_runtime.submit_turn(sid, 1, "org_a", "WAIT")
    with pytest.raises(DuplicateTurnError):
        pg_runtime.submit_turn(sid, 1, "org_a", "WAIT")
    assert len(pg_runtime.get_pending_turns(sid, 1)) == 2  # nothing written
    assert pg_runtime.mark_turns_resolved(sid, 1) == 2
    assert pg_runtime.mark_turns_resolved(sid, 1) == 0
    assert pg_runtime.get_pending_turns(sid, 1) == []
    with pytest.raises(SessionNotFoundError):
        pg_runtime.submit_turn(uuid.uuid4(), 1, "org_a", "WAIT")


# --------------------------------------------------------------------------- session_id required


def test_missing_session_id_is_a_value_error(pg_runtime: PostgresRuntime) -> None:
    g = graph_of(1)
    calls = {
        "persist_tick": lambda: pg_runtime.persist_tick(0, g),
        "hydrate_graph": lambda: pg_runtime.hydrate_graph(0),
        "log_tick": lambda: pg_runtime.log_tick(0),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=f"session_id is required for PostgresRuntime.{name}"):
            call()
        with pytest.raises(SessionNotFoundError):
            call()


# --------------------------------------------------------------------------- log_tick, get_events


@pytest.fixture(params=["postgres", "sqlite"])
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[Any, uuid.UUID | None]]:
    if request.param == "postgres":
        runtime: PostgresRuntime = request.getfixturevalue("pg_runtime")
        yield runtime, runtime.create_session("compat", {}, {}, 0)
    else:
        with RuntimeDatabase(in_memory=True) as db:
            yield db, None


def test_rng_state_bytes_round_trip(backend: tuple[Any, uuid.UUID | None]) -> None:
    db, sid = backend
    rng = random.Random(42)
    state = pickle.dumps(rng.getstate())
    db.log_tick(0, rng_state=state, mutations={"a": [1, 2]}, wall_time_ms=150, session_id=sid)
    got = db.get_tick_log(0, session_id=sid)
    assert got["rng_state"] == state
    assert isinstance(got["rng_state"], bytes)
    restored = random.Random()
    restored.setstate(pickle.loads(got["rng_state"]))
    assert restored.random() == rng.random()
    db.log_tick(1, rng_state=b"", session_id=sid)
    assert db.get_tick_log(1, session_id=sid)["rng_state"] == b""
    db.log_tick(0, rng_state={"seed": 7}, session_id=sid)  # JSON states stay accepted
    assert db.get_tick_log(0, session_id=sid)["rng_state"] == {"seed": 7}


def test_get_events_returns_the_events_as_persisted(backend: tuple[Any, uuid.UUID | None]) -> None:
    db, sid = backend
    db.persist_tick(0, graph_of(1), [{"type": "A", "x": 1}, {"type": "B"}], session_id=sid)
    db.persist_tick(1, graph_of(1), [{"type": "C", "entity_id": "n1"}], session_id=sid)
    assert db.get_events(0, session_id=sid) == [{"type": "A", "x": 1}, {"type": "B"}]
    assert [e["type"] for e in db.get_events(session_id=sid)] == ["A", "B", "C"]
    assert [(r["tick"], r["seq"]) for r in db.get_event_records(session_id=sid)] == [
        (0, 0),
        (0, 1),
        (1, 0),
    ]


# --------------------------------------------------------------------------- extension row shapes


class CommunityType(enum.Enum):
    WORKERS = "WORKERS"
    SETTLERS = "SETTLERS"


def test_extension_rows_in_the_original_shapes(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("ext", {}, {}, 0)
    fields = [
        {"node_id": "n1", "field_name": "exploitation", "value": 0.5, "laplacian": -0.1},
        {"node_id": "n1", "field_name": "heat", "value": 0.25, "dt": 0.01, "d2t": None},
    ]
    curvatures = [{"source_id": "n1", "target_id": "n2", "curvature": -0.3, "gradient": [0.1, 0.2]}]
    pg_runtime.persist_contradiction_fields(2, fields, curvatures, session_id=sid)
    assert pg_runtime.hydrate_contradiction_fields(2, session_id=sid) == (fields, curvatures)
    pg_runtime.persist_contradiction_fields(2, [], [], session_id=sid)
    assert pg_runtime.hydrate_contradiction_fields(2, session_id=sid) == ([], [])
    with pytest.raises(ValidationError, match="laplacian"):
        pg_runtime.persist_contradiction_fields(
            2,
            [{"node_id": "n", "field_name": "f", "value": 1, "laplacian": "x"}],
            [],
            session_id=sid,
        )

    results = [
        {
            "org_id": "org_a", "action_type": "RECRUIT", "target_id": "n1",
            "target_community": None,
            "initiative_score": 0.8, "action_cost": 2.0, "success": True,
            "consciousness_delta": 0.05, "heat_delta": 0.1, "details": {"recruited": 3},
        },
        {"org_id": "org_a", "action_type": "AGITATE", "initiative_score": 0.2,
         "action_cost": 1.0, "success": False},
    ]  # fmt: skip
    pg_runtime.persist_action_results(3, results, session_id=sid)
    assert pg_runtime.get_action_results(3, session_id=sid) == results
    with pytest.raises(ValidationError, match="action_id or an org_id"):
        pg_runtime.persist_action_results(3, [{"action_type": "X"}], session_id=sid)
    with pytest.raises(ValidationError, match="action_cost"):
        pg_runtime.persist_action_results(3, [{"org_id": "o", "action_cost": "2"}], session_id=sid)
    assert pg_runtime.get_action_results(3, session_id=sid) == results

    states = {
        CommunityType.WORKERS: {"category": "CLASS", "heat": 0.2, "r": 0.3},
        "SETTLERS": {"category": "NATIONAL", "cohesion": 0.9},
    }
    memberships = [
        {
            "agent_id": "n1",
            "community_type": CommunityType.WORKERS,
            "role": "MEMBER",
            "strength": 1.0,
        },
        {"agent_id": "n2", "community_type": "SETTLERS", "overt": False},
    ]
    pg_runtime.persist_community_state(4, states, memberships, session_id=sid)
    got_states, got_members = pg_runtime.hydrate_community_state(4, session_id=sid)
    assert got_states == {
        "SETTLERS": {"category": "NATIONAL", "cohesion": 0.9},
        "WORKERS": {"category": "CLASS", "heat": 0.2, "r": 0.3},
    }
    assert got_members == [  # by community, then member
        {"agent_id": "n2", "community_type": "SETTLERS", "overt": False},
        {"agent_id": "n1", "community_type": "WORKERS", "role": "MEMBER", "strength": 1.0},
    ]


# --------------------------------------------------------------------------- vector store


@dataclass
class DocumentChunk:
    """A chunk object of the kind the original's RAG pipeline hands over."""

    id: str
    content: str
    embedding: list[float]
    metadata: dict[str, Any] = field(default_factory=dict)


def test_add_chunks_with_content_keys_and_objects(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=4, collection="compat")
    store.add_chunks(
        [
            {"id": "a", "content": "alpha", "embedding": [1.0, 0, 0, 0], "metadata": {"k": 1}},
            {"id": "b", "content": "beta", "embedding": [0, 1.0, 0, 0], "chunk_index": 3},
            DocumentChunk("c", "gamma", [0, 0, 1.0, 0], {"source": "x.md"}),
        ]
    )
    assert store.get_collection_count() == 3
    ids, documents, _, metadatas, _ = store.query_similar([1.0, 0.1, 0.0, 0.0], k=3)
    assert ids[:2] == ["a", "b"]
    assert dict(zip(ids, documents, strict=True)) == {"a": "alpha", "b": "beta", "c": "gamma"}
    assert dict(zip(ids, metadatas, strict=True))["b"] == {"chunk_index": 3}
    with pytest.raises(ValidationError, match="expected a Chunk"):
        store.add_chunks([object()])


# --------------------------------------------------------------------------- RuntimeDatabase


def test_runtime_database_path_and_repr(tmp_path: Path) -> None:
    with RuntimeDatabase(in_memory=True) as db:
        assert db.db_path is None
        assert ":memory:" in repr(db)
        assert db.run_id in repr(db)
    with RuntimeDatabase(run_id="exp_1", base_dir=tmp_path) as db:
        assert db.db_path == tmp_path / "exp_1.sqlite"
        assert isinstance(db.db_path, Path)
        assert repr(db) == f"RuntimeDatabase(run_id='exp_1', path={tmp_path / 'exp_1.sqlite'})"


def test_protocols() -> None:
    assert isinstance(RuntimeDatabase(in_memory=True), RuntimePersistence)
    assert issubclass(PostgresRuntime, RuntimePersistence)
    assert issubclass(PostgresRuntime, PostgresRuntimeExtensions)
    assert issubclass(PgVectorStore, VectorStoreProtocol)
    assert isinstance(TraceRecorder(level=TraceLevel.DEBUG), TraceCollector)
    assert isinstance(TraceRecorder(level=TraceLevel.NONE), TraceCollector)


# =========================================================================== ported: babylon
# --------------------------------------------------------------------------- RuntimeDatabase


@pytest.fixture
def memdb() -> Iterator[RuntimeDatabase]:
    with RuntimeDatabase(in_memory=True) as db:
        yield db


def test_port_runtime_database_creation() -> None:
    with RuntimeDatabase(in_memory=True) as db:
        assert db.in_memory is True
        assert db.db_path is None
        assert db.con is not None
        assert db.run_id.startswith("run_")
        assert len(db.run_id) > 10
    with RuntimeDatabase(run_id="custom_run", in_memory=True) as db:
        assert db.run_id == "custom_run"


def test_port_graph_persistence(memdb: RuntimeDatabase) -> None:
    memdb.persist_tick(0, nx.DiGraph())
    empty = memdb.hydrate_graph(0)
    assert (empty.number_of_nodes(), empty.number_of_edges()) == (0, 0)
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("C001", type="SocialClass", wealth=100.0, organization=0.4,
               ideology={"class_consciousness": 0.3})  # fmt: skip
    g.add_node("C002", type="SocialClass", wealth=50.0, consciousness=0.7)
    g.add_edge("C001", "C002", type="EXPLOITATION", weight=1.0, extraction_rate=0.2)
    memdb.persist_tick(1, g)
    back = memdb.hydrate_graph(1)
    assert back.nodes["C001"]["type"] == "SocialClass"
    assert back.nodes["C001"]["ideology"] == {"class_consciousness": 0.3}
    assert back.nodes["C002"]["consciousness"] == 0.7
    assert back.edges["C001", "C002"] == {
        "type": "EXPLOITATION",
        "weight": 1.0,
        "extraction_rate": 0.2,
    }


def test_port_ticks_latest_and_overwrite(memdb: RuntimeDatabase) -> None:
    for tick in range(5):
        g: nx.DiGraph[Any] = nx.DiGraph()
        g.add_node("n", value=tick, wealth=50 - 10 * tick)
        memdb.persist_tick(tick, g)
    assert memdb.hydrate_graph(0).nodes["n"]["wealth"] == 50
    assert memdb.hydrate_graph(1).nodes["n"]["wealth"] == 40
    assert memdb.hydrate_graph().nodes["n"]["value"] == 4
    g2: nx.DiGraph[Any] = nx.DiGraph()
    g2.add_node("n", value=2)
    memdb.persist_tick(0, g2)
    assert memdb.hydrate_graph(0).nodes["n"]["value"] == 2


def test_port_events(memdb: RuntimeDatabase) -> None:
    memdb.persist_tick(0, nx.DiGraph(), [{"type": "A"}, {"type": "B"}])
    memdb.persist_tick(1, nx.DiGraph(), [{"type": "C"}])
    assert [e["type"] for e in memdb.get_events(tick=0)] == ["A", "B"]
    assert [e["type"] for e in memdb.get_events(tick=1)] == ["C"]
    assert [e["type"] for e in memdb.get_events(None)] == ["A", "B", "C"]


def test_port_metadata_and_tick_log(memdb: RuntimeDatabase) -> None:
    memdb.set_metadata("git_sha", "abc123")
    assert memdb.get_metadata("git_sha") == "abc123"
    assert memdb.get_metadata("missing") is None
    memdb.set_metadata("version", "1.0")
    memdb.set_metadata("version", "2.0")
    assert memdb.get_metadata("version") == "2.0"
    memdb.log_tick(0, rng_state=b"\x00\x01rng", mutations={"n": {"wealth": [1, 2]}},
                   invariant_checks={"conservation": True}, wall_time_ms=150)  # fmt: skip
    log = memdb.get_tick_log(0)
    assert log is not None
    assert log["rng_state"] == b"\x00\x01rng"
    assert log["mutations"] == {"n": {"wealth": [1, 2]}}
    assert log["invariant_checks"] == {"conservation": True}
    assert log["wall_time_ms"] == 150
    assert memdb.get_tick_log(99) is None


def test_port_context_manager_closes() -> None:
    with RuntimeDatabase(in_memory=True) as db:
        pass
    with pytest.raises(sqlite3.ProgrammingError):
        db.con.execute("SELECT 1")
    with pytest.raises(ValueError, match="boom"), RuntimeDatabase(in_memory=True) as db2:
        raise ValueError("boom")
    with pytest.raises(sqlite3.ProgrammingError):
        db2.con.execute("SELECT 1")


def test_port_edge_cases(memdb: RuntimeDatabase) -> None:
    # The original dropped a lambda attribute silently; ours refuses it, writing nothing.
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("n", fn=lambda: 1, keep=5)
    with pytest.raises(SerializationError, match="fn"):
        memdb.persist_tick(0, g)
    assert memdb.hydrate_graph(0).number_of_nodes() == 0
    g = nx.DiGraph()
    g.add_edge("A", "B", type="SOLIDARITY")
    g.add_node("u", name="工人阶级", other="Рабочий класс", nested={"a": [1, {"b": None}]})
    memdb.persist_tick(1, g)
    back = memdb.hydrate_graph(1)
    assert back.edges["A", "B"]["type"] == "SOLIDARITY"
    assert back.nodes["u"] == {
        "name": "工人阶级",
        "other": "Рабочий класс",
        "nested": {"a": [1, {"b": None}]},
    }
    with RuntimeDatabase(in_memory=True) as fresh:
        assert fresh.hydrate_graph().number_of_nodes() == 0


def test_port_contract_session_id_accepted(memdb: RuntimeDatabase) -> None:
    sid = uuid.uuid4()
    memdb.persist_tick(0, graph_of(2), session_id=sid)
    memdb.hydrate_graph(tick=0, session_id=sid)
    memdb.log_tick(tick=0, wall_time_ms=100, system_timings={"economy": 5}, session_id=sid)


# --------------------------------------------------------------------------- TraceRecorder


def test_port_trace_recorder_levels() -> None:
    assert TraceRecorder(level=TraceLevel.NONE).level is TraceLevel.NONE
    none = TraceRecorder(level=TraceLevel.NONE)
    none.trace("S", "e", {})
    assert none.buffer_size == 0
    debug = TraceRecorder(level=TraceLevel.DEBUG)
    debug.trace("S", "e", {"x": 1}, level=TraceLevel.DEBUG, node_id="n1")
    assert debug.buffer_size == 1
    summary = TraceRecorder(level=TraceLevel.SUMMARY)
    summary.trace("S", "e", {}, level=TraceLevel.TRACE)
    assert summary.buffer_size == 0
    full = TraceRecorder(level=TraceLevel.TRACE)
    for level in (TraceLevel.SUMMARY, TraceLevel.DEBUG, TraceLevel.TRACE):
        full.trace("S", "e", {}, level=level)
    assert full.buffer_size == 3
    full.flush(uuid.uuid4(), 0)  # no persistence: the buffer is cleared
    assert full.buffer_size == 0


# --------------------------------------------------------------------------- PostgreSQL integration


def test_port_postgres_round_trip_isolation_and_interleaving(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session(
        scenario="test_integration", config_json={}, game_defines_json={}, rng_seed=42
    )
    g = graph_of(10)
    g.nodes["c_0"]["nothing"] = None
    g.nodes["c_0"]["mixed"] = [1, {"nested": True}, 3.14]
    pg_runtime.persist_tick(1, g, session_id=sid)
    back = pg_runtime.hydrate_graph(1, session_id=sid)
    assert (back.number_of_nodes(), back.number_of_edges()) == (10, 9)
    assert back.nodes["c_0"]["nothing"] is None
    assert back.nodes["c_0"]["mixed"] == [1, {"nested": True}, 3.14]
    assert back.nodes["c_3"]["wealth"] == 3.0
    sessions = [pg_runtime.create_session(f"s{i}", {}, {}, i) for i in range(3)]
    for tick in (1, 2, 3):
        for i, s in enumerate(sessions):
            pg_runtime.persist_tick(tick, graph_of(5 * (i + 1), value=tick), session_id=s)
    for i, s in enumerate(sessions):
        latest = pg_runtime.hydrate_graph(session_id=s)
        assert latest.number_of_nodes() == 5 * (i + 1)
        assert latest.nodes["c_0"]["tick"] == 3


def test_port_postgres_throughput(pg_runtime: PostgresRuntime) -> None:
    sid = pg_runtime.create_session("throughput", {}, {}, 0)
    g = graph_of(2000)
    start = time.perf_counter()
    pg_runtime.persist_tick(0, g, session_id=sid)
    assert time.perf_counter() - start < 1.0


# =========================================================================== ported: SimCash


def game(game_id: str = "game-1", status: str = "running", **changes: Any) -> GameSessionRecord:
    values: dict[str, Any] = {
        "game_id": game_id,
        "scenario_config": "scenarios/basic.yaml",
        "master_seed": 42,
        "game_mode": "campaign_learning",
        "config_json": json.dumps({"k": 1}),
        "started_at": datetime.now(),
        "status": status,
        "optimized_agents": ["BANK_A", "BANK_B"],
    }
    values.update(changes)
    return GameSessionRecord(**values)


def step(
    game_id: str, agent: str, n: int, new_cost: float, **changes: Any
) -> PolicyIterationRecord:
    values: dict[str, Any] = {
        "game_id": game_id,
        "agent_id": agent,
        "iteration_number": n,
        "trigger_tick": 10 * n,
        "old_policy_json": json.dumps({"parameters": {"threshold": 5.0}}),
        "new_policy_json": json.dumps({"parameters": {"threshold": 4.0, "buffer": 1.2}}),
        "old_cost": 1000.0,
        "new_cost": new_cost,
        "cost_improvement": 1000.0 - new_cost,
        "was_accepted": True,
        "llm_model": "anthropic:claude-sonnet-4-5",
        "llm_latency_seconds": 1.5,
        "tokens_used": 500,
        "created_at": datetime.now(),
    }
    values.update(changes)
    return PolicyIterationRecord(**values)


@pytest.fixture
def simcash(tmp_path: Path) -> Iterator[tuple[DatabaseManager, GameRepository]]:
    with DatabaseManager(tmp_path / "game.db") as manager:
        manager.setup()
        repo = GameRepository(manager.conn)
        repo.initialize_schema()
        yield manager, repo


def test_port_simcash_sessions(simcash: tuple[DatabaseManager, GameRepository]) -> None:
    _, repo = simcash
    saved = game()
    repo.save_game_session(saved)
    loaded = repo.get_game_session("game-1")
    assert loaded is not None
    assert (loaded.game_id, loaded.master_seed, loaded.game_mode) == (
        "game-1",
        42,
        "campaign_learning",
    )
    assert loaded.optimized_agents == ["BANK_A", "BANK_B"]
    assert loaded.started_at == saved.started_at
    assert loaded.started_at < datetime.now()
    repo.update_game_session_status("game-1", status="completed", completed_at=datetime.now())
    loaded = repo.get_game_session("game-1")
    assert loaded is not None
    assert loaded.status == "completed"
    assert loaded.completed_at is not None
    assert loaded.completed_at <= datetime.now()
    aware = datetime(2025, 1, 1, 12, tzinfo=UTC)
    repo.save_game_session(game("game-2", started_at=aware))
    assert repo.get_game_session("game-2").started_at == aware  # type: ignore[union-attr]


def test_port_simcash_iterations(simcash: tuple[DatabaseManager, GameRepository]) -> None:
    _, repo = simcash
    repo.save_game_session(game())
    repo.save_policy_iteration(step("game-1", "BANK_A", 1, 800.0))
    [it] = repo.get_policy_iterations("game-1", "BANK_A")
    assert (it.iteration_number, it.old_cost, it.new_cost, it.was_accepted) == (
        1,
        1000.0,
        800.0,
        True,
    )
    assert json.loads(it.old_policy_json)["parameters"]["threshold"] == 5.0
    assert json.loads(it.new_policy_json)["parameters"] == {"threshold": 4.0, "buffer": 1.2}
    repo.save_policy_iteration(step("game-1", "BANK_B", 1, 900.0, llm_model="openai:gpt-4o"))
    assert repo.get_policy_iterations("game-1", "BANK_B")[0].llm_model == "openai:gpt-4o"
    assert (
        repo.get_policy_iterations("game-1", "BANK_A")[0].llm_model == "anthropic:claude-sonnet-4-5"
    )
    for n in range(2, 6):
        repo.save_policy_iteration(step("game-1", "BANK_A", n, 800.0 - n))
    assert [i.iteration_number for i in repo.get_policy_iterations("game-1", "BANK_A")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    repo.save_policy_iteration(
        step("game-1", "BANK_C", 1, 1200.0, was_accepted=False,
             validation_errors=["threshold must be positive", "buffer too large"])
    )  # fmt: skip
    [rejected] = repo.get_policy_iterations("game-1", "BANK_C")
    assert rejected.was_accepted is False
    assert rejected.validation_errors == ["threshold must be positive", "buffer too large"]
    assert step("g", "a", 1, 1.0).validation_errors == []  # the original's default


def test_port_simcash_queries(simcash: tuple[DatabaseManager, GameRepository]) -> None:
    _, repo = simcash
    for i, status in enumerate(["completed", "completed", "running"]):
        repo.save_game_session(game(f"g{i}", status=status))
    assert len(repo.list_game_sessions()) == 3
    assert len(repo.list_game_sessions(status="completed")) == 2
    assert len(repo.list_game_sessions(status=GameStatus.RUNNING)) == 1
    for n, cost in enumerate([900.0, 850.0, 700.0, 800.0, 750.0], start=1):
        policy = json.dumps({"version": f"{n}.0", "optimal": cost == 700.0})
        repo.save_policy_iteration(
            step("g0", "BANK_A", n, cost, new_policy_json=policy, cost_improvement=50.0)
        )
    best = repo.get_best_policy("g0", "BANK_A")
    assert best is not None
    assert json.loads(best) == {"version": "3.0", "optimal": True}
    summary = repo.get_optimization_summary("g0")
    assert (summary["total_iterations"], summary["accepted_iterations"]) == (5, 5)
    assert (summary["rejected_iterations"], summary["total_cost_improvement"]) == (0, 250.0)
    assert {"total_tokens_used", "total_llm_latency"} <= set(summary)


def test_port_simcash_shared_database_and_no_monte_carlo(tmp_path: Path) -> None:
    with DatabaseManager(tmp_path / "shared.db") as manager:
        manager.setup()
        GameRepository(manager.conn).initialize_schema()
        show = (SQL / "compat" / "show_tables.sql").read_text()
        tables = {row[0] for row in manager.conn.execute(show).fetchall()}
        assert {"game_sessions", "policy_iterations"} <= tables
        assert not tables & {"monte_carlo_runs", "evaluation_runs", "mc_samples"}
        repo = GameRepository(manager.conn)
        assert not hasattr(repo, "save_monte_carlo_run")
        assert not hasattr(repo, "save_evaluation_run")


def test_port_database_manager(tmp_path: Path) -> None:
    path = tmp_path / "sim.db"
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(SQL / "compat" / "001_test_migration.sql", migrations / "001_test_migration.sql")
    manager = DatabaseManager(path, migrations_dir=migrations)
    assert isinstance(manager.conn, duckdb.DuckDBPyConnection)
    assert manager.get_connection() is manager.conn
    assert manager.db_path == path
    assert isinstance(manager.migrations_dir, Path)
    assert manager.is_initialized() is False
    assert manager.validate_schema(quiet=True) is False
    manager.setup()
    assert manager.is_initialized()
    assert manager.validate_schema(quiet=True)
    assert manager.conn.table("migrated_marker").fetchall() == []
    assert manager.conn.table("schema_migrations").project("version, description").fetchall() == [
        (1, "test_migration")
    ]
    assert manager.apply_migrations() == []  # applied once
    manager.conn.execute((SQL / "compat" / "add_game_sessions_column.sql").read_text())
    assert manager.validate_schema(quiet=True) is False
    with pytest.raises(RuntimeError, match="schema validation failed"):
        manager.setup()
    with pytest.raises(SchemaValidationError):
        manager.setup()
    manager.initialize_schema(force_recreate=True)
    assert manager.validate_schema(quiet=True)
    manager.close()
    with pytest.raises(DatabaseClosedError, match="closed"):
        manager.conn.execute("SELECT 1")
    with DatabaseManager(path) as again:
        assert again.conn.execute("SELECT 1").fetchone() == (1,)
    for _ in range(2):  # get_connection sets up and validates, again and again
        conn = get_connection(path)
        assert isinstance(conn, duckdb.DuckDBPyConnection)
        conn.close()
    memory = DatabaseManager(":memory:")
    assert memory.db_path == Path(":memory:")
    memory.setup()
    memory.close()


def test_numpy_embeddings_still_work(pg_pool: Pool) -> None:
    store = PgVectorStore(pg_pool, dimension=3, collection="np")
    store.add_chunks([{"id": "x", "content": "t", "embedding": np.array([1.0, 2.0, 3.0])}])
    assert store.get_collection_count() == 1
