"""Habits of the command line: global options anywhere, --version, --json, games fixes."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import PgServer

from babylon_sql import __version__
from babylon_sql.cli.common import first_time, hoist_global_options
from babylon_sql.cli.main import main
from babylon_sql.games.repository import (
    DatabaseManager,
    GameRepository,
    GameSessionRecord,
    PolicyIterationRecord,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_global_options_are_hoisted_from_anywhere() -> None:
    assert hoist_global_options(["schema", "apply", "--dsn", "X", "--require", "postgis"]) == [
        "--dsn", "X", "schema", "apply", "--require", "postgis",
    ]  # fmt: skip
    assert hoist_global_options(["sessions", "list", "--dsn=Y", "-q", "--json"]) == [
        "--dsn=Y", "-q", "--json", "sessions", "list",
    ]  # fmt: skip
    assert hoist_global_options(["x", "--", "--json"]) == ["x", "--", "--json"]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"babylon-sql, version {__version__}"


def test_dsn_and_json_after_the_subcommand(pg_dsn: str) -> None:
    result = run("schema", "objects", "--dsn", pg_dsn, "--json")
    assert result.exit_code == 0, result.output
    objects = json.loads(result.output)
    assert {"name": "game_session", "kind": "table"}.items() <= next(
        o for o in objects if o["name"] == "game_session"
    ).items()


def test_debug_after_the_subcommand_shows_the_exception(tmp_path: Path) -> None:
    bad = f"host={tmp_path} port=1 dbname=x"
    plain = run("schema", "objects", "--dsn", bad)
    assert plain.exit_code == 1
    assert plain.stderr.count("\n") == 1
    debug = run("schema", "objects", "--dsn", bad, "--debug")
    assert debug.exit_code == 1
    assert "Traceback" in debug.stderr
    assert "ServerUnreachableError" in debug.stderr


def test_require_is_phrased_for_the_command_line(pg_server: PgServer, empty_pg_dsn: str) -> None:
    result = run("schema", "apply", "--require", "postgis", "--dsn", empty_pg_dsn, "--json")
    if pg_server.has("postgis"):
        assert result.exit_code == 0, result.output
        assert "041_spatial_postgis.sql" in json.loads(result.stdout)["applied"]
    else:
        assert result.exit_code == 1
        assert "run without --require postgis" in result.stderr
        assert "require=()" not in result.stderr


def _games_file(path: Path) -> None:
    started = datetime(2026, 1, 1, tzinfo=UTC)
    with DatabaseManager(path) as m:
        repo = GameRepository(m.conn)
        repo.initialize_schema()
        # total_iterations left at its default (0): the count comes from the stored rows.
        repo.save_game_session(
            GameSessionRecord(
                game_id="g1",
                scenario_config="s",
                master_seed=1,
                game_mode="rl_optimization",
                config_json="{}",
                started_at=started,
                status="running",
                optimized_agents=["A"],
            )
        )
        repo.save_policy_iterations(
            PolicyIterationRecord(
                game_id="g1",
                agent_id="A",
                iteration_number=n,
                trigger_tick=n,
                old_policy_json="{}",
                new_policy_json="{}",
                old_cost=2.0,
                new_cost=1.0,
                cost_improvement=1.0,
                was_accepted=True,
                validation_errors=[],
                llm_model="m",
                llm_latency_seconds=0.1,
                tokens_used=1,
            )
            for n in (1, 2)
        )


def test_games_list_counts_the_stored_iterations(tmp_path: Path) -> None:
    path = tmp_path / "games.duckdb"
    _games_file(path)
    listed = run("games", "list", "--db", str(path), "--json")
    assert listed.exit_code == 0, listed.output
    assert [(g["game_id"], g["total_iterations"]) for g in json.loads(listed.output)] == [("g1", 2)]
    text = run("games", "list", "--db", str(path))
    assert text.output.splitlines()[2].split()[-3] == "2"
    shown = json.loads(run("games", "show", "g1", "--db", str(path), "--json").output)
    assert shown["total_iterations"] == 2
    assert len(shown["iterations"]) == 2


def test_games_refuse_an_sqlite_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (a)")
    start = time.perf_counter()
    result = run("games", "list", "--db", str(path))
    assert time.perf_counter() - start < 1.0
    assert result.exit_code == 1
    assert result.stderr == (
        f"babylon-sql: error: {path} is an SQLite database; --db takes the DuckDB file a "
        "GameRepository wrote (babylon_sql.games.DatabaseManager)\n"
    )
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    assert "is an empty file" in run("games", "list", "--db", str(empty)).stderr


def test_a_note_is_shown_once_per_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABYLON_SQL_HOME", str(tmp_path))
    assert first_time("skipped:postgis@/tmp/a:5432")
    assert not first_time("skipped:postgis@/tmp/a:5432")
    assert first_time("skipped:postgis@/tmp/b:5432")
    (tmp_path / "cli-state.json").write_text("not json")
    assert first_time("skipped:postgis@/tmp/a:5432")  # an unreadable state: shown again
