"""The seed's Complete Example (spec 004, "Persistence"), run verbatim.

Only its imports differ from the seed: they name ``babylon_sql.games.repository``. It runs
as a script in its own process, in a temporary directory, and the database it
leaves behind is then checked through the repository.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babylon_sql.games.repository import DatabaseManager, GameRepository

# ruff: noqa: E501 - the example is verbatim; its import line is as the issue gives it
# fmt: off
EXAMPLE = """\
from datetime import datetime
import json

from babylon_sql.games.repository import DatabaseManager, GameRepository, GameSessionRecord, PolicyIterationRecord

# Initialize database
with DatabaseManager("optimization.db") as manager:
    repo = GameRepository(manager.conn)
    repo.initialize_schema()

    # Create game session
    session = GameSessionRecord(
        game_id="exp1-run-001",
        scenario_config="experiments/castro/configs/exp1.yaml",
        master_seed=42,
        game_mode="rl_optimization",
        config_json=json.dumps({"max_iterations": 25}),
        started_at=datetime.now(),
        status="running",
        optimized_agents=["BANK_A", "BANK_B"],
    )
    repo.save_game_session(session)

    # Run optimization loop
    for iteration in range(1, 26):
        for agent_id in ["BANK_A", "BANK_B"]:
            # ... run optimization ...

            # Record iteration
            record = PolicyIterationRecord(
                game_id="exp1-run-001",
                agent_id=agent_id,
                iteration_number=iteration,
                trigger_tick=iteration * 10,
                old_policy_json='{"payment_tree": {"root": {"action": "Hold"}}}',
                new_policy_json='{"payment_tree": {"root": {"action": "Release"}}}',
                old_cost=1500.0 - iteration * 50,
                new_cost=1500.0 - (iteration + 1) * 50,
                cost_improvement=50.0,
                was_accepted=True,
                validation_errors=[],
                llm_model="anthropic/claude-sonnet",
                llm_latency_seconds=1.5,
                tokens_used=800,
                created_at=datetime.now(),
            )
            repo.save_policy_iteration(record)

    # Mark completed
    repo.update_game_session_status(
        game_id="exp1-run-001",
        status="converged",
        completed_at=datetime.now(),
        total_iterations=25,
        converged=True,
        final_cost=250.0,
    )

    # Get summary
    summary = repo.get_optimization_summary("exp1-run-001")
    print(f"Total iterations: {summary['total_iterations']}")
    print(f"Cost improvement: ${summary['total_cost_improvement']/100:.2f}")
"""
# fmt: on


def test_complete_example_runs_unchanged(tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(EXAMPLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Total iterations: 50\nCost improvement: $25.00\n"

    with DatabaseManager(tmp_path / "optimization.db", read_only=True) as manager:
        repo = GameRepository(manager.conn)
        session = repo.get_game_session("exp1-run-001")
        assert session is not None
        assert session.status == "converged"
        assert session.converged is True
        assert session.total_iterations == 25
        assert session.final_cost == 250.0
        assert session.optimized_agents == ["BANK_A", "BANK_B"]
        assert session.completed_at is not None
        assert session.completed_at >= session.started_at
        iterations = repo.get_policy_iterations("exp1-run-001")
        assert len(iterations) == 50
        assert [(it.agent_id, it.iteration_number) for it in iterations[:2]] == [
            ("BANK_A", 1),
            ("BANK_A", 2),
        ]
        assert repo.get_best_policy("exp1-run-001", "BANK_A") == (
            '{"payment_tree": {"root": {"action": "Release"}}}'
        )
        best = repo.get_best_iteration("exp1-run-001", "BANK_B")
        assert best is not None
        assert best.iteration_number == 25
        assert best.new_cost == 200.0
