"""GameRepository on real DuckDB files: round trips, upserts, filters, errors, locks."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from babylon_sql.catalogue import ddl_layers
from babylon_sql.errors import (
    ConfigurationError,
    DatabaseClosedError,
    DatabaseLockedError,
    SerializationError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.games import repository as games
from babylon_sql.games.repository import (
    DatabaseManager,
    GameMode,
    GameRepository,
    GameSessionRecord,
    GameStatus,
    PolicyIterationRecord,
)

T0 = datetime(2025, 12, 9, 10, 0, 0, 123456, tzinfo=UTC)


def session(game_id: str = "game-001", **changes: Any) -> GameSessionRecord:
    values: dict[str, Any] = {
        "game_id": game_id,
        "scenario_config": "experiments/castro/configs/exp1.yaml",
        "master_seed": 42,
        "game_mode": "rl_optimization",
        "config_json": '{"max_iterations": 25}',
        "started_at": T0,
        "status": "running",
        "optimized_agents": ["BANK_A", "BANK_B"],
    }
    values.update(changes)
    return GameSessionRecord(**values)


def iteration(
    number: int = 1, agent_id: str = "BANK_A", game_id: str = "game-001", **changes: Any
) -> PolicyIterationRecord:
    values: dict[str, Any] = {
        "game_id": game_id,
        "agent_id": agent_id,
        "iteration_number": number,
        "trigger_tick": number * 10,
        "old_policy_json": '{"payment_tree": {"root": {"action": "Hold"}}}',
        "new_policy_json": f'{{"payment_tree": {{"root": {{"n": {number}}}}}}}',
        "old_cost": 1500.0 - number * 50,
        "new_cost": 1500.0 - (number + 1) * 50,
        "cost_improvement": 50.0,
        "was_accepted": True,
        "validation_errors": [],
        "llm_model": "anthropic/claude-sonnet",
        "llm_latency_seconds": 1.5,
        "tokens_used": 800,
        "created_at": T0 + timedelta(seconds=number),
    }
    values.update(changes)
    return PolicyIterationRecord(**values)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "games.duckdb"


@pytest.fixture
def manager(db_path: Path) -> Iterator[DatabaseManager]:
    with DatabaseManager(db_path) as m:
        yield m


@pytest.fixture
def repo(manager: DatabaseManager) -> GameRepository:
    r = GameRepository(manager.conn)
    r.initialize_schema()
    return r


def raw_rows(manager: DatabaseManager, table: str) -> list[dict[str, Any]]:
    """Rows exactly as stored, read through DuckDB's relational API (no SQL text)."""
    rel = manager.conn.table(table)
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


# --------------------------------------------------------------------------- schema


def test_initialize_schema_is_idempotent_and_creates_the_four_indexes(
    manager: DatabaseManager,
) -> None:
    repo = GameRepository(manager.conn)
    repo.initialize_schema()
    repo.save_game_session(session())
    repo.initialize_schema()
    rel = manager.conn.table_function("duckdb_indexes")
    at = rel.columns.index("index_name")
    names = {row[at] for row in rel.fetchall()}
    assert {"idx_game_status", "idx_game_started_at", "idx_iter_game", "idx_iter_agent"} <= names
    assert repo.get_game_session("game-001") is not None


def test_ddl_layer_shape() -> None:
    [layer] = [la for la in ddl_layers("duckdb") if la.name == "games"]
    lines = layer.path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-- name: games#"
    for i, line in enumerate(lines):
        if line.lstrip().upper().startswith(("CREATE INDEX", "CONSTRAINT")):
            assert lines[i - 1].lstrip().startswith("-- why:"), f"{layer.path.name}:{i + 1}"
    assert set(layer.objects()) == {
        "game_sessions",
        "policy_iterations",
        "idx_game_status",
        "idx_game_started_at",
        "idx_iter_game",
        "idx_iter_agent",
    }


def test_repository_accepts_a_manager(manager: DatabaseManager) -> None:
    repo = GameRepository(manager)
    repo.initialize_schema()
    repo.save_game_session(session())
    assert repo.get_game_session("game-001") == session()


# --------------------------------------------------------------------------- round trips


def test_session_round_trips_every_field_with_none_values(repo: GameRepository) -> None:
    saved = session()
    assert (saved.completed_at, saved.total_iterations, saved.converged, saved.final_cost) == (
        None,
        0,
        False,
        None,
    )
    repo.save_game_session(saved)
    loaded = repo.get_game_session("game-001")
    assert loaded == saved
    assert loaded is not None
    assert loaded.completed_at is None
    assert loaded.final_cost is None


def test_session_round_trips_every_field_when_all_set(repo: GameRepository) -> None:
    saved = session(
        "game-full",
        scenario_config="",
        master_seed=2**63 - 1,
        game_mode="campaign_learning",
        config_json='{"nested": {"a": [1, 2.5, null]}, "ünïcode": "✓"}',
        completed_at=T0 + timedelta(hours=3, microseconds=7),
        status="failed",
        optimized_agents=[],
        total_iterations=2**31 - 1,
        converged=True,
        final_cost=-0.125,
    )
    repo.save_game_session(saved)
    loaded = repo.get_game_session("game-full")
    assert loaded == saved
    assert loaded is not None
    for f in dataclasses.fields(GameSessionRecord):
        assert type(getattr(loaded, f.name)) is type(getattr(saved, f.name)), f.name
    assert type(loaded.master_seed) is int
    assert type(loaded.final_cost) is float
    assert loaded.started_at.tzinfo is UTC


def test_iteration_round_trips_every_field(repo: GameRepository) -> None:
    repo.save_game_session(session())
    saved = iteration(
        7,
        trigger_tick=0,
        old_policy_json="[]",
        new_policy_json='"just a string"',
        old_cost=0.1,
        new_cost=1e300,
        cost_improvement=-123.456,
        was_accepted=False,
        validation_errors=["tree too deep", 'quote " and ✓'],
        llm_model="",
        llm_latency_seconds=0.0,
        tokens_used=0,
    )
    repo.save_policy_iteration(saved)
    [loaded] = repo.get_policy_iterations("game-001")
    assert loaded == saved
    for f in dataclasses.fields(PolicyIterationRecord):
        assert type(getattr(loaded, f.name)) is type(getattr(saved, f.name)), f.name


def test_lists_are_stored_as_json_text(repo: GameRepository, manager: DatabaseManager) -> None:
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(validation_errors=["a", "b"]))
    [row] = raw_rows(manager, "game_sessions")
    assert row["optimized_agents"] == '["BANK_A","BANK_B"]'
    [row] = raw_rows(manager, "policy_iterations")
    assert row["validation_errors"] == '["a","b"]'


# --------------------------------------------------------------------------- upserts


def test_resaving_a_session_changes_every_column(repo: GameRepository) -> None:
    repo.save_game_session(session())
    changed = GameSessionRecord(
        game_id="game-001",
        scenario_config="other.yaml",
        master_seed=7,
        game_mode="campaign_learning",
        config_json="{}",
        started_at=T0 - timedelta(days=30),
        completed_at=T0 + timedelta(days=1),
        status="completed",
        optimized_agents=["BANK_C"],
        total_iterations=12,
        converged=True,
        final_cost=99.5,
    )
    for f in dataclasses.fields(GameSessionRecord):
        if f.name != "game_id":
            assert getattr(changed, f.name) != getattr(session(), f.name), f.name
    repo.save_game_session(changed)
    assert repo.get_game_session("game-001") == changed
    # The indexed columns are really rewritten: the filters see the new values.
    assert repo.list_game_sessions(status="running") == []
    assert repo.list_game_sessions(status="completed") == [changed]
    assert repo.list_game_sessions(game_mode="campaign_learning") == [changed]
    repo.save_game_session(session("game-002", started_at=T0 - timedelta(days=1)))
    assert [s.game_id for s in repo.list_game_sessions()] == ["game-002", "game-001"]


def test_resaving_an_iteration_changes_every_column(repo: GameRepository) -> None:
    repo.save_game_session(session())
    first = iteration(3)
    repo.save_policy_iteration(first)
    changed = PolicyIterationRecord(
        game_id="game-001",
        agent_id="BANK_A",
        iteration_number=3,
        trigger_tick=999,
        old_policy_json='{"x": 1}',
        new_policy_json='{"x": 2}',
        old_cost=1.0,
        new_cost=2.0,
        cost_improvement=-1.0,
        was_accepted=False,
        validation_errors=["bad"],
        llm_model="other",
        llm_latency_seconds=9.0,
        tokens_used=1,
        created_at=T0 - timedelta(days=2),
    )
    for f in dataclasses.fields(PolicyIterationRecord):
        if f.name not in ("game_id", "agent_id", "iteration_number"):
            assert getattr(changed, f.name) != getattr(first, f.name), f.name
    repo.save_policy_iteration(changed)
    assert repo.get_policy_iterations("game-001") == [changed]


# --------------------------------------------------------------------------- missing ids


def test_missing_ids(repo: GameRepository, manager: DatabaseManager) -> None:
    assert repo.get_game_session("nope") is None
    assert repo.get_policy_iterations("nope") == []
    assert repo.get_policy_iterations("nope", agent_id="BANK_A") == []
    assert repo.get_best_policy("nope", "BANK_A") is None
    assert repo.get_best_iteration("nope", "BANK_A") is None
    with pytest.raises(SessionNotFoundError, match="'nope'"):
        repo.update_game_session_status("nope", "completed", total_iterations=3)
    with pytest.raises(SessionNotFoundError, match="'nope'"):
        repo.get_optimization_summary("nope")
    with pytest.raises(SessionNotFoundError, match="save it with save_game_session"):
        repo.save_policy_iteration(iteration(game_id="nope"))
    assert raw_rows(manager, "game_sessions") == []
    assert raw_rows(manager, "policy_iterations") == []


def test_known_game_without_iterations_of_that_agent(repo: GameRepository) -> None:
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(1, "BANK_A"))
    assert repo.get_policy_iterations("game-001", agent_id="BANK_Z") == []
    assert repo.get_best_policy("game-001", "BANK_Z") is None


# --------------------------------------------------------------------------- status updates


def test_update_changes_only_the_given_fields(repo: GameRepository) -> None:
    repo.save_game_session(session(final_cost=10.0, total_iterations=2))
    repo.update_game_session_status("game-001", "failed")
    assert repo.get_game_session("game-001") == session(
        status="failed", final_cost=10.0, total_iterations=2
    )
    done = T0 + timedelta(hours=1)
    repo.update_game_session_status(
        game_id="game-001",
        status=GameStatus.CONVERGED,
        completed_at=done,
        total_iterations=15,
        converged=True,
        final_cost=2500.0,
    )
    after = session(
        status="converged", completed_at=done, total_iterations=15, converged=True, final_cost=2500
    )
    assert repo.get_game_session("game-001") == after
    repo.update_game_session_status("game-001", "completed", converged=False, final_cost=0.0)
    assert repo.get_game_session("game-001") == dataclasses.replace(
        after, status="completed", converged=False, final_cost=0.0
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "paused"}, "status"),
        ({"status": "completed", "total_iterations": -1}, "total_iterations"),
        ({"status": "completed", "converged": 1}, "converged"),
        ({"status": "completed", "final_cost": math.nan}, "final_cost"),
        ({"status": "completed", "completed_at": "2025-01-01"}, "completed_at"),
    ],
)
def test_update_rejects_bad_values(
    repo: GameRepository, kwargs: dict[str, Any], field: str
) -> None:
    repo.save_game_session(session())
    with pytest.raises(ValidationError, match=field):
        repo.update_game_session_status("game-001", **kwargs)
    assert repo.get_game_session("game-001") == session()


# --------------------------------------------------------------------------- listing


def test_list_filters_limit_and_order(repo: GameRepository) -> None:
    specs = [
        ("a", "running", "rl_optimization", 1),
        ("b", "completed", "rl_optimization", 3),
        ("c", "completed", "campaign_learning", 2),
        ("d", "failed", "rl_optimization", 5),
        ("e", "completed", "rl_optimization", 3),  # same start as "b": game_id breaks the tie
        ("f", "converged", "campaign_learning", 4),
    ]
    for game_id, status, mode, hour in specs:
        repo.save_game_session(
            session(game_id, status=status, game_mode=mode, started_at=T0 + timedelta(hours=hour))
        )

    def ids(**kw: Any) -> list[str]:
        return [s.game_id for s in repo.list_game_sessions(**kw)]

    assert ids() == ["d", "f", "e", "b", "c", "a"]
    assert ids(status="completed") == ["e", "b", "c"]
    assert ids(game_mode="campaign_learning") == ["f", "c"]
    assert ids(status="completed", game_mode="rl_optimization") == ["e", "b"]
    assert ids(status=GameStatus.COMPLETED, game_mode=GameMode.RL_OPTIMIZATION, limit=1) == ["e"]
    assert ids(limit=2) == ["d", "f"]
    assert ids(limit=0) == []
    assert ids(status="converged", game_mode="rl_optimization") == []
    with pytest.raises(ValidationError, match="status"):
        repo.list_game_sessions(status="done")
    with pytest.raises(ValidationError, match="game_mode"):
        repo.list_game_sessions(game_mode="rl")
    with pytest.raises(ValidationError, match="limit"):
        repo.list_game_sessions(limit=-1)


def test_iterations_are_ordered_by_agent_then_number(repo: GameRepository) -> None:
    repo.save_game_session(session())
    repo.save_game_session(session("game-002"))
    for number, agent in [(3, "BANK_B"), (10, "BANK_A"), (2, "BANK_A"), (1, "BANK_B")]:
        repo.save_policy_iteration(iteration(number, agent))
    repo.save_policy_iteration(iteration(1, "BANK_A", game_id="game-002"))
    got = [(it.agent_id, it.iteration_number) for it in repo.get_policy_iterations("game-001")]
    assert got == [("BANK_A", 2), ("BANK_A", 10), ("BANK_B", 1), ("BANK_B", 3)]
    got_b = [it.iteration_number for it in repo.get_policy_iterations("game-001", "BANK_B")]
    assert got_b == [1, 3]


# --------------------------------------------------------------------------- best policy


def test_rejected_iterations_never_win_best_policy(repo: GameRepository) -> None:
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(1, new_cost=500.0, new_policy_json='{"p": 1}'))
    repo.save_policy_iteration(
        iteration(2, new_cost=1.0, was_accepted=False, new_policy_json='{"p": "rejected"}')
    )
    repo.save_policy_iteration(iteration(3, new_cost=400.0, new_policy_json='{"p": 3}'))
    repo.save_policy_iteration(iteration(4, agent_id="BANK_B", new_cost=0.0))
    assert repo.get_best_policy("game-001", "BANK_A") == '{"p": 3}'


def test_best_policy_is_none_when_nothing_was_accepted(repo: GameRepository) -> None:
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(1, was_accepted=False, new_cost=1.0))
    assert repo.get_best_policy("game-001", "BANK_A") is None


def test_best_policy_tie_goes_to_the_earliest_iteration(repo: GameRepository) -> None:
    repo.save_game_session(session())
    for number in (5, 2, 8):
        repo.save_policy_iteration(
            iteration(number, new_cost=100.0, new_policy_json=f'{{"p": {number}}}')
        )
    repo.save_policy_iteration(iteration(9, new_cost=100.5))
    assert repo.get_best_policy("game-001", "BANK_A") == '{"p": 2}'
    best = repo.get_best_iteration("game-001", "BANK_A")
    assert best is not None
    assert best.iteration_number == 2


# --------------------------------------------------------------------------- summary


def test_summary_of_a_game_without_iterations_is_zeros(repo: GameRepository) -> None:
    repo.save_game_session(session())
    summary = repo.get_optimization_summary("game-001")
    assert summary == {
        "total_iterations": 0,
        "accepted_iterations": 0,
        "rejected_iterations": 0,
        "total_cost_improvement": 0.0,
        "total_tokens_used": 0,
        "total_llm_latency": 0.0,
    }
    assert [type(v) for v in summary.values()] == [int, int, int, float, int, float]


def test_summary_counts_and_sums(repo: GameRepository) -> None:
    repo.save_game_session(session())
    repo.save_game_session(session("other"))
    repo.save_policy_iteration(iteration(1, cost_improvement=50.0, tokens_used=100))
    repo.save_policy_iteration(
        iteration(2, cost_improvement=25.5, tokens_used=2**31 - 1, llm_latency_seconds=2.25)
    )
    repo.save_policy_iteration(
        iteration(3, cost_improvement=-80.0, was_accepted=False, tokens_used=10)
    )
    repo.save_policy_iteration(iteration(1, agent_id="BANK_B", cost_improvement=4.5))
    repo.save_policy_iteration(iteration(1, game_id="other", tokens_used=5))
    summary = repo.get_optimization_summary("game-001")
    assert summary == {
        "total_iterations": 4,
        "accepted_iterations": 3,
        "rejected_iterations": 1,
        "total_cost_improvement": 80.0,  # accepted only: 50 + 25.5 + 4.5
        "total_tokens_used": 100 + (2**31 - 1) + 10 + 800,  # beyond INTEGER: summed as BIGINT
        "total_llm_latency": 1.5 + 2.25 + 1.5 + 1.5,
    }
    assert [type(v) for v in summary.values()] == [int, int, int, float, int, float]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "paused"}, "status"),
        ({"status": None}, "status"),
        ({"game_mode": "supervised"}, "game_mode"),
        ({"config_json": "{not json"}, "config_json"),
        ({"config_json": ""}, "config_json"),
        ({"game_id": ""}, "game_id"),
        ({"game_id": 5}, "game_id"),
        ({"master_seed": "42"}, "master_seed"),
        ({"master_seed": True}, "master_seed"),
        ({"master_seed": 2**63}, "master_seed"),
        ({"started_at": date(2025, 1, 1)}, "started_at"),
        ({"started_at": "2025-01-01T00:00:00"}, "started_at"),
        ({"completed_at": 0}, "completed_at"),
        ({"optimized_agents": "BANK_A"}, "optimized_agents"),
        ({"optimized_agents": ["BANK_A", 2]}, "optimized_agents"),
        ({"total_iterations": -1}, "total_iterations"),
        ({"converged": "yes"}, "converged"),
        ({"final_cost": math.inf}, "final_cost"),
        ({"final_cost": "1.0"}, "final_cost"),
    ],
)
def test_session_record_validation(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=f"GameSessionRecord.{field}"):
        session(**changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iteration_number": 0}, "iteration_number"),
        ({"iteration_number": -3}, "iteration_number"),
        ({"iteration_number": 1.0}, "iteration_number"),
        ({"iteration_number": 2**31}, "iteration_number"),
        ({"agent_id": " "}, "agent_id"),
        ({"trigger_tick": -1}, "trigger_tick"),
        ({"old_policy_json": '{"payment_tree": {...}}'}, "old_policy_json"),
        ({"new_policy_json": "NaN"}, "new_policy_json"),
        ({"new_policy_json": {"a": 1}}, "new_policy_json"),
        ({"new_policy_json": "Infinity"}, "new_policy_json"),
        ({"new_policy_json": '{"a": 1} trailing'}, "new_policy_json"),
        ({"agent_id": "BANK_\ud800"}, "agent_id"),
        ({"validation_errors": ["\udfff"]}, "validation_errors"),
        ({"old_cost": math.nan}, "old_cost"),
        ({"new_cost": -math.inf}, "new_cost"),
        ({"cost_improvement": None}, "cost_improvement"),
        ({"was_accepted": 1}, "was_accepted"),
        ({"validation_errors": None}, "validation_errors"),
        ({"validation_errors": [None]}, "validation_errors"),
        ({"llm_model": None}, "llm_model"),
        ({"llm_latency_seconds": -0.5}, "llm_latency_seconds"),
        ({"tokens_used": -1}, "tokens_used"),
        ({"tokens_used": 2**31}, "tokens_used"),
        ({"created_at": None}, "created_at"),
    ],
)
def test_iteration_record_validation(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=f"PolicyIterationRecord.{field}"):
        iteration(**changes)


def test_records_normalise_enums_and_copy_lists() -> None:
    agents = ["BANK_A"]
    s = session(
        status=GameStatus.RUNNING, game_mode=GameMode.CAMPAIGN_LEARNING, optimized_agents=agents
    )
    agents.append("BANK_B")
    assert s.optimized_agents == ["BANK_A"]
    assert type(s.status) is str
    assert s.status == "running"
    assert type(s.game_mode) is str
    assert s == session(
        status="running", game_mode="campaign_learning", optimized_agents=["BANK_A"]
    )
    assert session(optimized_agents=("X", "Y")).optimized_agents == ["X", "Y"]
    assert session(final_cost=3).final_cost == 3.0
    assert type(session(final_cost=3).final_cost) is float
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.status = "failed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    [
        '{"huge": 1e400}',
        '{"big": 123456789012345678901234567890}',
        '{"low": -9223372036854775809}',
        '{"s": "\\ud800"}',
    ],
)
def test_json_text_follows_the_codec_rules(repo: GameRepository, text: str) -> None:
    """JSON text is valid only if the codec could have written it: no
    infinities, no integers beyond 64 bits, no lone surrogates."""
    with pytest.raises(SerializationError, match=r"GameSessionRecord\.config_json"):
        session(config_json=text)
    assert repo.list_game_sessions() == []


def test_json_text_is_kept_verbatim(repo: GameRepository) -> None:
    text = '{"exact":  18446744073709551615, "nul": "\\u0000", "literal": "\\\\u0000"}'
    repo.save_game_session(session(config_json=text))
    loaded = repo.get_game_session("game-001")
    assert loaded is not None
    assert loaded.config_json == text


def test_text_round_trips_non_ascii_and_refuses_nul(repo: GameRepository) -> None:
    repo.save_game_session(session("ünï", scenario_config="é✓"))
    loaded = repo.get_game_session("ünï")
    assert loaded is not None
    assert loaded.scenario_config == "é✓"
    with pytest.raises(ValidationError, match=r"GameSessionRecord\.game_id.*NUL"):
        session("nul\x00id")
    with pytest.raises(ValidationError, match=r"GameSessionRecord\.scenario_config.*NUL"):
        session(scenario_config="é\x00✓")
    assert [s.game_id for s in repo.list_game_sessions()] == ["ünï"]


def test_save_refuses_other_objects(repo: GameRepository) -> None:
    with pytest.raises(ValidationError, match="GameSessionRecord"):
        repo.save_game_session({"game_id": "x"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="PolicyIterationRecord"):
        repo.save_policy_iteration(session())  # type: ignore[arg-type]


# --------------------------------------------------------------------------- time zones


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test with the process time zone set to America/New_York."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york")
def test_naive_datetimes_come_back_naive_and_equal(
    repo: GameRepository, manager: DatabaseManager
) -> None:
    winter = datetime(2025, 1, 15, 12, 0, 0, 5)
    summer = datetime(2025, 7, 15, 12, 0, 0)
    s = session(started_at=winter, completed_at=summer)
    assert (s.started_at, s.completed_at) == (winter, summer)
    assert s.started_at.tzinfo is None
    repo.save_game_session(s)
    [row] = raw_rows(manager, "game_sessions")
    assert (row["started_at"], row["started_at_utc"]) == (winter, False)  # stored as given
    assert (row["completed_at"], row["completed_at_utc"]) == (summer, False)
    loaded = repo.get_game_session("game-001")
    assert loaded is not None
    assert (loaded.started_at, loaded.completed_at) == (winter, summer)
    assert loaded.started_at.tzinfo is None
    assert loaded.started_at < datetime.now()  # the original callers' comparison works
    repo.update_game_session_status("game-001", "completed", completed_at=winter)
    [row] = raw_rows(manager, "game_sessions")
    assert (row["completed_at"], row["completed_at_utc"]) == (winter, False)
    aware = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
    repo.update_game_session_status("game-001", "completed", completed_at=aware)
    loaded = repo.get_game_session("game-001")
    assert loaded is not None
    assert loaded.completed_at == aware
    assert loaded.completed_at is not None
    assert loaded.completed_at.tzinfo is UTC
    assert loaded.started_at == winter


@pytest.mark.usefixtures("new_york")
def test_aware_datetimes_are_converted_to_utc(
    repo: GameRepository, manager: DatabaseManager
) -> None:
    plus_two = timezone(timedelta(hours=2))
    s = session(started_at=datetime(2025, 3, 1, 1, 30, tzinfo=plus_two))
    repo.save_game_session(s)
    repo.save_policy_iteration(iteration(created_at=datetime(2025, 3, 1, 0, 0, tzinfo=plus_two)))
    [row] = raw_rows(manager, "game_sessions")
    assert row["started_at"] == datetime(2025, 2, 28, 23, 30)
    [row] = raw_rows(manager, "policy_iterations")
    assert row["created_at"] == datetime(2025, 2, 28, 22, 0)
    loaded = repo.get_game_session("game-001")
    assert loaded is not None
    assert loaded.started_at == datetime(2025, 3, 1, 1, 30, tzinfo=plus_two)
    assert loaded.started_at.tzinfo is UTC


@pytest.mark.usefixtures("new_york")
def test_bulk_save_stores_the_same_values(repo: GameRepository, manager: DatabaseManager) -> None:
    repo.save_game_session(session())
    plus_two = timezone(timedelta(hours=2))
    repo.save_policy_iterations(
        [
            iteration(1, created_at=datetime(2025, 3, 1, 0, 0, 0, 1, tzinfo=plus_two)),
            iteration(2, created_at=datetime(2025, 1, 15, 12, 0)),  # naive: kept as given
        ]
    )
    rows = sorted(raw_rows(manager, "policy_iterations"), key=lambda r: r["iteration_number"])
    assert [(r["created_at"], r["created_at_utc"]) for r in rows] == [
        (datetime(2025, 2, 28, 22, 0, 0, 1), True),
        (datetime(2025, 1, 15, 12, 0), False),
    ]
    loaded = repo.get_policy_iterations("game-001")
    assert [it.created_at for it in loaded] == [
        datetime(2025, 2, 28, 22, 0, 0, 1, tzinfo=UTC),
        datetime(2025, 1, 15, 12, 0),
    ]
    assert loaded[0].created_at.tzinfo is UTC
    assert loaded[1].created_at.tzinfo is None


# --------------------------------------------------------------------------- transactions


def test_statements_run_on_the_callers_connection(
    repo: GameRepository, manager: DatabaseManager
) -> None:
    manager.conn.begin()
    repo.save_game_session(session())
    repo.save_policy_iterations([iteration(1), iteration(2)])
    assert repo.get_optimization_summary("game-001")["total_iterations"] == 2
    manager.conn.rollback()
    assert repo.get_game_session("game-001") is None
    assert raw_rows(manager, "policy_iterations") == []


# --------------------------------------------------------------------------- bulk


def test_bulk_save_equals_row_by_row(tmp_path: Path) -> None:
    records = [
        iteration(
            n, agent, was_accepted=n % 3 != 0, new_cost=float(n % 7), validation_errors=[str(n)]
        )
        for n in range(1, 40)
        for agent in ("BANK_A", "BANK_B")
    ]
    results = []
    for name, bulk in (("rows", False), ("bulk", True)):
        with DatabaseManager(tmp_path / f"{name}.duckdb") as m:
            r = GameRepository(m.conn)
            r.initialize_schema()
            r.save_game_session(session())
            if bulk:
                assert r.save_policy_iterations(iter(records)) == len(records)
            else:
                for rec in records:
                    r.save_policy_iteration(rec)
            results.append(
                (
                    r.get_policy_iterations("game-001"),
                    r.get_optimization_summary("game-001"),
                    r.get_best_policy("game-001", "BANK_A"),
                )
            )
    assert results[0] == results[1]
    assert len(results[1][0]) == len(records)


def test_bulk_save_later_duplicates_win_across_record_batches(
    repo: GameRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(games, "ARROW_BATCH_ROWS", 3)
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(1, new_cost=1.0))
    batch = [
        iteration(1, new_cost=2.0),
        iteration(2, new_cost=3.0),
        iteration(1, new_cost=4.0),  # a later duplicate in the batch wins
        iteration(3, new_cost=5.0),
        iteration(2, new_cost=6.0),  # in another Arrow record batch: wins too
    ]
    assert repo.save_policy_iterations(batch) == 5
    got = [(it.iteration_number, it.new_cost) for it in repo.get_policy_iterations("game-001")]
    assert got == [(1, 4.0), (2, 6.0), (3, 5.0)]


def test_bulk_save_with_an_unknown_game_writes_nothing(
    repo: GameRepository, manager: DatabaseManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(games, "ARROW_BATCH_ROWS", 2)
    repo.save_game_session(session())
    repo.save_policy_iteration(iteration(1, new_cost=1.0))
    batch = [iteration(1, new_cost=9.0), iteration(2), iteration(3), iteration(1, game_id="ghost")]
    with pytest.raises(SessionNotFoundError, match=r"'ghost'.*nothing was written"):
        repo.save_policy_iterations(batch)
    assert repo.get_policy_iterations("game-001") == [iteration(1, new_cost=1.0)]
    assert len(raw_rows(manager, "policy_iterations")) == 1
    # The connection is usable afterwards, outside any transaction.
    repo.save_policy_iteration(iteration(2))
    assert len(repo.get_policy_iterations("game-001")) == 2


def test_bulk_save_refuses_other_objects_and_writes_nothing(
    repo: GameRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(games, "ARROW_BATCH_ROWS", 2)
    repo.save_game_session(session())
    batch: list[Any] = [iteration(1), iteration(2), iteration(3), {"iteration_number": 4}]
    with pytest.raises(ValidationError, match="item 3 is a dict"):
        repo.save_policy_iterations(batch)
    assert repo.get_policy_iterations("game-001") == []


def test_bulk_save_of_nothing(repo: GameRepository) -> None:
    assert repo.save_policy_iterations([]) == 0


# --------------------------------------------------------------------------- connections and locks


def test_memory_database_and_closing() -> None:
    with DatabaseManager(":memory:") as m:
        repo = GameRepository(m.conn)
        repo.initialize_schema()
        repo.save_game_session(session())
        assert repo.get_game_session("game-001") == session()
    with pytest.raises(DatabaseClosedError, match="already closed"):
        _ = m.conn
    m.close()  # idempotent


def test_a_repository_on_a_closed_connection(db_path: Path) -> None:
    with DatabaseManager(db_path) as m:
        repo = GameRepository(m.conn)
        repo.initialize_schema()
    with pytest.raises(DatabaseClosedError, match="closed"):
        repo.get_game_session("game-001")
    with pytest.raises(DatabaseClosedError, match="closed"):
        repo.save_game_session(session())
    with pytest.raises(DatabaseClosedError, match="closed"):
        repo.save_policy_iterations([iteration(1)])


def test_manager_closes_the_file_so_another_process_can_open_it(db_path: Path) -> None:
    with DatabaseManager(db_path) as m:
        GameRepository(m.conn).initialize_schema()
    proc = subprocess.run(
        [sys.executable, "-c", _OPEN_AND_EXIT, str(db_path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_read_only_on_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no DuckDB database at"):
        DatabaseManager(tmp_path / "absent.duckdb", read_only=True)
    assert not (tmp_path / "absent.duckdb").exists()
    with pytest.raises(ConfigurationError, match="cannot open DuckDB database"):
        DatabaseManager(tmp_path / "no-such-dir" / "x.duckdb")


_OPEN_AND_EXIT = "import duckdb, sys\nduckdb.connect(sys.argv[1]).close()\n"

_HOLD = (
    "import duckdb, sys\n"
    "conn = duckdb.connect(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.close()\n"
)


@pytest.fixture
def held_file(db_path: Path) -> Iterator[tuple[Path, int]]:
    """``db_path`` held open for writing by a second Python process."""
    with DatabaseManager(db_path) as m:
        GameRepository(m.conn).initialize_schema()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        yield db_path, proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_held_by_another_process_is_a_lock_error(
    held_file: tuple[Path, int], read_only: bool
) -> None:
    path, pid = held_file
    with pytest.raises(DatabaseLockedError) as info:
        DatabaseManager(path, read_only=read_only)
    message = str(info.value)
    assert str(path) in message
    assert f"process {pid}" in message
    assert "another process" in message


def test_the_lock_is_released_when_the_other_process_ends(db_path: Path) -> None:
    with DatabaseManager(db_path) as m:
        GameRepository(m.conn).initialize_schema()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    with pytest.raises(DatabaseLockedError):
        DatabaseManager(db_path)
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()
    with DatabaseManager(db_path) as m:
        assert GameRepository(m.conn).list_game_sessions() == []
