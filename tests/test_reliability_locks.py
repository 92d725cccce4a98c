"""SQLite write locks held by another process, and terminal-safe CLI output."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import aiosql
import pytest
from click.testing import CliRunner
from reliability_writer import tick_events, tick_graph

from babylon_sql.cli.main import main
from babylon_sql.errors import DatabaseLockedError, ValidationError
from babylon_sql.games.repository import (
    DatabaseManager,
    GameRepository,
    GameSessionRecord,
    PolicyIterationRecord,
)
from babylon_sql.runtime.sqlite import BUSY_TIMEOUT, RuntimeDatabase

COMMON = aiosql.from_path(Path(__file__).parent / "sql" / "reliability" / "common", "sqlite3")

# A second process that opens the run file, takes the write lock (BEGIN
# IMMEDIATE) and keeps it until its stdin closes.
_HOLD_WRITE_LOCK = (
    "import sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.execute('ROLLBACK')\n"
)


@pytest.fixture
def run_file(tmp_path: Path) -> Path:
    with RuntimeDatabase(run_id="locked", base_dir=tmp_path) as db:
        db.persist_tick(0, tick_graph(0, size=20), tick_events(0))
    return tmp_path / "locked.sqlite"


@pytest.fixture
def write_lock(run_file: Path) -> Iterator[None]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(run_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_default_busy_timeout_is_five_seconds(tmp_path: Path) -> None:
    assert BUSY_TIMEOUT == 5.0
    with RuntimeDatabase(run_id="t", base_dir=tmp_path) as db:
        assert db.busy_timeout == 5.0
    for bad in (-1, "5", True, 10**6):
        with pytest.raises(ValidationError, match="busy_timeout"):
            RuntimeDatabase(run_id="t", base_dir=tmp_path, busy_timeout=bad)  # type: ignore[arg-type]


def test_a_writer_locked_out_waits_busy_timeout_then_names_the_file(
    run_file: Path, write_lock: None
) -> None:
    with RuntimeDatabase(run_id="locked", base_dir=run_file.parent, busy_timeout=0.5) as db:
        assert db.hydrate_graph(0).number_of_nodes() == 20  # readers never wait (WAL)
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError) as locked:
            db.persist_tick(1, tick_graph(1, size=20), tick_events(1))
        waited = time.monotonic() - started
        assert 0.4 <= waited < 5
        assert str(run_file) in str(locked.value)
        assert "busy_timeout" in str(locked.value)
        with pytest.raises(DatabaseLockedError):
            db.log_tick(1, wall_time_ms=1.0)
    # Nothing of the refused calls was written; the file takes the next writer.
    with RuntimeDatabase(run_id="locked", base_dir=run_file.parent) as db:
        assert db.latest_tick() == 0
        assert db.get_tick_log(1) is None
        assert COMMON.orphan_rows(db.connection) == 0


def test_the_writer_proceeds_when_the_lock_is_released_in_time(run_file: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(run_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    with RuntimeDatabase(run_id="locked", base_dir=run_file.parent, busy_timeout=30) as db:
        proc.stdin.close()  # the holder rolls back while we wait
        db.persist_tick(1, tick_graph(1, size=20), tick_events(1))
        assert db.latest_tick() == 1
    proc.wait(timeout=30)
    proc.stdout.close()


# -- terminal escapes in the games CLI ----------------------------------------

EVIL = "evil\x1b[2J\x1b]0;pwned\x07\r\u202egame"


def test_games_cli_escapes_control_characters_from_stored_text(tmp_path: Path) -> None:
    path = tmp_path / "games.duckdb"
    started = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with DatabaseManager(path) as manager:
        repo = GameRepository(manager.conn)
        repo.initialize_schema()
        repo.save_game_session(
            GameSessionRecord(
                game_id=EVIL,
                scenario_config="cfg\x1b[31m.yaml",
                master_seed=1,
                game_mode="rl_optimization",
                config_json="{}",
                started_at=started,
                status="running",
                optimized_agents=["A\x1b[1m", "B"],
            )
        )
        repo.save_policy_iterations(
            [
                PolicyIterationRecord(
                    game_id=EVIL,
                    agent_id="A\x1b[1m",
                    iteration_number=1,
                    trigger_tick=0,
                    old_policy_json="{}",
                    new_policy_json='{"x": "\\u001b[5m"}',
                    old_cost=2.0,
                    new_cost=1.0,
                    cost_improvement=1.0,
                    was_accepted=True,
                    validation_errors=[],
                    llm_model="m\x9b6n",
                    llm_latency_seconds=0.1,
                    tokens_used=3,
                    created_at=started,
                )
            ]
        )
    runner = CliRunner()
    outputs = [
        runner.invoke(main, ["games", *args, "--db", str(path)])
        for args in (
            ["list"],
            ["show", EVIL],
            ["best", EVIL, "A\x1b[1m"],
            ["summary", EVIL],
            ["show", "missing\x1b[2J"],
        )
    ]
    assert [o.exit_code for o in outputs] == [0, 0, 0, 0, 1]
    for done in outputs:
        text = done.output
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\r" not in text
        assert "\u202e" not in text
        assert "\x9b" not in text
    assert "evil\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\u202egame" in outputs[0].output
    assert "cfg\\x1b[31m.yaml" in outputs[1].output
    assert "m\\x9b6n" in outputs[1].output
