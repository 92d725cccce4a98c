"""``babylon-sql games list | show | summary | best --db FILE`` on real DuckDB files."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from babylon_sql.cli.main import main
from babylon_sql.games.repository import (
    DatabaseManager,
    GameRepository,
    GameSessionRecord,
    PolicyIterationRecord,
)

T0 = datetime(2025, 12, 9, 10, 0, tzinfo=UTC)


def _session(game_id: str, status: str, mode: str, hours: int) -> GameSessionRecord:
    return GameSessionRecord(
        game_id=game_id,
        scenario_config=f"configs/{game_id}.yaml",
        master_seed=42,
        game_mode=mode,
        config_json='{"max_iterations": 3}',
        started_at=T0 + timedelta(hours=hours),
        status=status,
        optimized_agents=["BANK_A", "BANK_B"],
    )


def _iteration(number: int, agent: str, new_cost: float, accepted: bool) -> PolicyIterationRecord:
    return PolicyIterationRecord(
        game_id="exp-1",
        agent_id=agent,
        iteration_number=number,
        trigger_tick=number * 10,
        old_policy_json='{"action": "Hold"}',
        new_policy_json=json.dumps({"action": "Release", "iteration": number}),
        old_cost=1000.0,
        new_cost=new_cost,
        cost_improvement=1000.0 - new_cost,
        was_accepted=accepted,
        validation_errors=[] if accepted else ["too risky"],
        llm_model="model-x",
        llm_latency_seconds=0.5,
        tokens_used=1000,
        created_at=T0 + timedelta(minutes=number),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "games.duckdb"
    with DatabaseManager(path) as m:
        repo = GameRepository(m.conn)
        repo.initialize_schema()
        repo.save_game_session(_session("exp-1", "running", "rl_optimization", 2))
        repo.save_game_session(_session("exp-2", "completed", "campaign_learning", 1))
        repo.save_game_session(_session("exp-3", "completed", "rl_optimization", 3))
        repo.save_policy_iterations(
            [
                _iteration(1, "BANK_A", 900.0, True),
                _iteration(2, "BANK_A", 100.0, False),
                _iteration(3, "BANK_A", 700.0, True),
                _iteration(1, "BANK_B", 800.0, True),
            ]
        )
        repo.update_game_session_status("exp-3", "converged", final_cost=250.0, converged=True)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["games", *args])


def _rows(output: str) -> list[list[str]]:
    """The data rows of a printed table (after the dashes line), split on runs of 2 spaces."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if set(line) <= {"-", " "} and line) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split("  ") if cell.strip()])
    return rows


def test_list_prints_newest_first(db: Path) -> None:
    result = run("list", "--db", str(db))
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header[:3] == ["game_id", "mode", "status"]
    rows = _rows(result.output)
    assert [r[0] for r in rows] == ["exp-3", "exp-1", "exp-2"]
    assert rows[0][:3] == ["exp-3", "rl_optimization", "converged"]
    assert "2025-12-09 13:00:00+00:00" in rows[0]
    assert "250.00" in rows[0]


def test_list_filters_and_limit(db: Path) -> None:
    result = run("list", "--db", str(db), "--mode", "rl_optimization", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert [r[0] for r in _rows(result.output)] == ["exp-3"]
    result = run("list", "--db", str(db), "--status", "completed")
    assert [r[0] for r in _rows(result.output)] == ["exp-2"]
    result = run("list", "--db", str(db), "--status", "failed")
    assert result.exit_code == 0
    assert result.output.strip() == "no game sessions"
    result = run("list", "--db", str(db), "--status", "paused")
    assert result.exit_code == 2
    assert "paused" in result.output


def test_show_prints_the_session_and_its_iterations(db: Path) -> None:
    result = run("show", "--db", str(db), "exp-1")
    assert result.exit_code == 0, result.output
    assert "scenario_config     configs/exp-1.yaml" in result.output
    assert "optimized_agents    BANK_A, BANK_B" in result.output
    rows = _rows(result.output)
    assert [(r[0], r[1]) for r in rows] == [
        ("BANK_A", "1"),
        ("BANK_A", "2"),
        ("BANK_A", "3"),
        ("BANK_B", "1"),
    ]
    assert rows[1][6] == "no"
    result = run("show", "--db", str(db), "exp-1", "--agent", "BANK_B")
    assert [(r[0], r[1]) for r in _rows(result.output)] == [("BANK_B", "1")]
    result = run("show", "--db", str(db), "exp-2")
    assert result.exit_code == 0
    assert "no policy iterations" in result.output


def test_summary(db: Path) -> None:
    result = run("summary", "--db", str(db), "exp-1")
    assert result.exit_code == 0, result.output
    values = dict(_rows(result.output))
    assert values == {
        "total_iterations": "4",
        "accepted_iterations": "3",
        "rejected_iterations": "1",
        "acceptance_rate": "75.0%",
        "total_cost_improvement": "600.00",
        "total_tokens_used": "4,000",
        "total_llm_latency_s": "2.00",
    }
    result = run("summary", "--db", str(db), "exp-2")
    assert result.exit_code == 0
    assert dict(_rows(result.output))["acceptance_rate"] == "-"


def test_best_prints_the_lowest_cost_accepted_policy(db: Path) -> None:
    result = run("best", "--db", str(db), "exp-1", "BANK_A")
    assert result.exit_code == 0, result.output
    assert _rows(result.output)[0][:3] == ["BANK_A", "3", "700.00"]
    policy = json.loads(result.output[result.output.index("{") :])
    assert policy == {"action": "Release", "iteration": 3}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "no game session with game_id 'nope'"),
        (["summary", "nope"], "no game session with game_id 'nope'"),
        (["best", "nope", "BANK_A"], "no game session with game_id 'nope'"),
        (["best", "exp-2", "BANK_A"], "agent 'BANK_A' has no accepted policy iteration"),
    ],
)
def test_unknown_ids_are_one_line_errors(db: Path, args: list[str], message: str) -> None:
    result = run(args[0], "--db", str(db), *args[1:])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stderr.startswith("babylon-sql: error: ")


def test_missing_file_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.duckdb"
    result = run("list", "--db", str(path))
    assert result.exit_code == 1
    assert "no DuckDB database at" in result.stderr
    assert not path.exists()


def test_file_without_the_games_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    DatabaseManager(path).close()
    result = run("list", "--db", str(path))
    assert result.exit_code == 1
    assert "has no games schema" in result.stderr


def test_db_option_is_required() -> None:
    result = run("list")
    assert result.exit_code == 2
    assert "--db" in result.output


_HOLD = (
    "import duckdb, sys\n"
    "conn = duckdb.connect(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.close()\n"
)


@pytest.fixture
def held(db: Path) -> Iterator[int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == b"ready"
        yield proc.pid
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_a_file_held_by_another_process(db: Path, held: int) -> None:
    result = run("list", "--db", str(db))
    assert result.exit_code == 1
    assert f"in use by another process (process {held})" in result.stderr
    assert result.stderr.count("\n") == 1
