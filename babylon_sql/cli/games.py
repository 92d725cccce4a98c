"""``babylon-sql games``: inspect the policy-optimisation games of a DuckDB file.

Every subcommand opens the file read-only (``--db FILE``). A file held by
another process, a missing file, a file that is not a DuckDB database (an
SQLite file, say: refused from its header, before DuckDB sees it, and DuckDB
is opened with extension autoloading and autoinstalling off, so nothing is
ever downloaded) or a file without the games schema is one clear error line
(printed by the main group) and exit status 1. Times are printed in UTC;
``--json`` prints the same data as JSON. The iteration count of a game is
the number of its stored policy iterations. Stored text is printed through
one helper, :func:`_cell`,
which escapes control characters (``\x1b``, ``\r``, bidirectional
overrides ...): a game id cannot drive the terminal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
import duckdb

from babylon_sql.catalogue import queries
from babylon_sql.cli.common import emit_json, fields, state, table
from babylon_sql.errors import (
    BabylonSqlError,
    ConfigurationError,
    DatabaseLockedError,
    SchemaError,
    SessionNotFoundError,
)
from babylon_sql.games.repository import GameMode, GameRepository, GameStatus

F = TypeVar("F", bound=Callable[..., Any])


def _db_option(func: F) -> F:
    option = click.option(
        "--db",
        "db_path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="DuckDB file holding the games (opened read-only).",
    )
    return option(func)


#: Bytes 8-11 of every DuckDB database file.
_DUCKDB_MAGIC = b"DUCK"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PID = re.compile(r"\(PID (\d+)\)")


def _check_duckdb_file(db_path: Path) -> None:
    """Refuse a path that is not a DuckDB database file, from its header alone."""
    if not db_path.is_file():
        raise ConfigurationError(f"no DuckDB database at {db_path}")
    with db_path.open("rb") as f:
        head = f.read(16)
    if len(head) >= 12 and head[8:12] == _DUCKDB_MAGIC:
        return
    if head.startswith(_SQLITE_MAGIC):
        kind = "an SQLite database"
    elif not head:
        kind = "an empty file"
    else:
        kind = "not a DuckDB database file"
    raise ConfigurationError(
        f"{db_path} is {kind}; --db takes the DuckDB file a GameRepository wrote "
        "(babylon_sql.games.DatabaseManager)"
    )


def _open_read_only(db_path: Path) -> duckdb.DuckDBPyConnection:
    """The DuckDB file, read-only, with extension autoloading and autoinstalling off."""
    _check_duckdb_file(db_path)
    config: dict[str, str | bool | int | float | list[str]] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    try:
        return duckdb.connect(str(db_path), read_only=True, config=config)
    except duckdb.IOException as exc:
        text = str(exc)
        if "Could not set lock" in text:
            pid = _PID.search(text)
            holder = f" (process {pid.group(1)})" if pid else ""
            raise DatabaseLockedError(
                f"DuckDB database {db_path} is in use by another process{holder}; DuckDB lets "
                "only one process open a file it writes: close it there, or wait, and retry"
            ) from exc
        raise ConfigurationError(f"cannot open DuckDB database {db_path}: {text}") from exc
    except duckdb.Error as exc:
        raise ConfigurationError(f"cannot open DuckDB database {db_path}: {exc}") from exc


@contextmanager
def _repository(db_path: Path) -> Iterator[GameRepository]:
    with _opened(db_path) as (repo, _conn):
        yield repo


@contextmanager
def _opened(db_path: Path) -> Iterator[tuple[GameRepository, duckdb.DuckDBPyConnection]]:
    conn = _open_read_only(db_path)
    try:
        yield GameRepository(conn), conn
    except duckdb.CatalogException as exc:
        raise SchemaError(
            f"{db_path} has no games schema (game_sessions / policy_iterations): "
            "create it with GameRepository.initialize_schema()"
        ) from exc
    except duckdb.Error as exc:
        raise BabylonSqlError(f"DuckDB error on {db_path}: {exc}") from exc
    finally:
        conn.close()


def _iteration_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """game_id → number of stored policy iterations."""
    rows = queries("duckdb").games.count_iterations_by_game(conn)
    return {str(game_id): int(count) for game_id, count in rows}


def _record(record: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(record)


@click.group()
def games() -> None:
    """Inspect policy-optimisation games stored in a DuckDB file."""


@games.command("list")
@_db_option
@click.option(
    "--status", type=click.Choice([s.value for s in GameStatus]), help="Only this status."
)
@click.option(
    "--mode",
    "game_mode",
    type=click.Choice([m.value for m in GameMode]),
    help="Only this game mode.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="At most this many games.",
)
def games_list(db_path: Path, status: str | None, game_mode: str | None, limit: int) -> None:
    """List game sessions, newest first."""
    with _opened(db_path) as (repo, conn):
        sessions = repo.list_game_sessions(status=status, game_mode=game_mode, limit=limit)
        counts = _iteration_counts(conn)
    if state().json:
        emit_json([{**_record(s), "total_iterations": counts.get(s.game_id, 0)} for s in sessions])
        return
    if not sessions:
        click.echo("no game sessions")
        return
    table(
        ["game_id", "mode", "status", "started_at (UTC)", "iterations", "converged", "final_cost"],
        [
            [
                s.game_id,
                s.game_mode,
                s.status,
                s.started_at,
                counts.get(s.game_id, 0),
                s.converged,
                s.final_cost,
            ]
            for s in sessions
        ],
    )


@games.command("show")
@_db_option
@click.argument("game_id")
@click.option("--agent", "agent_id", help="Only this agent's iterations.")
def games_show(db_path: Path, game_id: str, agent_id: str | None) -> None:
    """Show one game session and its policy iterations."""
    with _opened(db_path) as (repo, conn):
        session = repo.get_game_session(game_id)
        if session is None:
            raise SessionNotFoundError(f"no game session with game_id {game_id!r} in {db_path}")
        iterations = repo.get_policy_iterations(game_id, agent_id=agent_id)
        stored = _iteration_counts(conn).get(game_id, 0)
    if state().json:
        emit_json(
            {
                **_record(session),
                "total_iterations": stored,
                "iterations": [_record(it) for it in iterations],
            }
        )
        return
    fields(
        [
            ("game_id", session.game_id),
            ("scenario_config", session.scenario_config),
            ("master_seed", session.master_seed),
            ("game_mode", session.game_mode),
            ("status", session.status),
            ("started_at (UTC)", session.started_at),
            ("completed_at (UTC)", session.completed_at),
            ("optimized_agents", session.optimized_agents),
            ("total_iterations", stored),
            ("converged", session.converged),
            ("final_cost", session.final_cost),
            ("config_json", session.config_json),
        ]
    )
    click.echo()
    if not iterations:
        click.echo("no policy iterations")
        return
    table(
        [
            "agent",
            "iteration",
            "tick",
            "old_cost",
            "new_cost",
            "improvement",
            "accepted",
            "tokens",
            "latency_s",
            "model",
        ],
        [
            [
                it.agent_id,
                it.iteration_number,
                it.trigger_tick,
                it.old_cost,
                it.new_cost,
                it.cost_improvement,
                it.was_accepted,
                it.tokens_used,
                it.llm_latency_seconds,
                it.llm_model,
            ]
            for it in iterations
        ],
    )


@games.command("summary")
@_db_option
@click.argument("game_id")
def games_summary(db_path: Path, game_id: str) -> None:
    """Print a game's optimisation totals."""
    with _repository(db_path) as repo:
        summary = repo.get_optimization_summary(game_id)
    if state().json:
        emit_json({"game_id": game_id, **summary})
        return
    total = summary["total_iterations"]
    rate = f"{summary['accepted_iterations'] / total:.1%}" if total else "-"
    table(
        ["field", "value"],
        [
            ["total_iterations", total],
            ["accepted_iterations", summary["accepted_iterations"]],
            ["rejected_iterations", summary["rejected_iterations"]],
            ["acceptance_rate", rate],
            ["total_cost_improvement", summary["total_cost_improvement"]],
            ["total_tokens_used", summary["total_tokens_used"]],
            ["total_llm_latency_s", summary["total_llm_latency"]],
        ],
    )


@games.command("best")
@_db_option
@click.argument("game_id")
@click.argument("agent_id")
def games_best(db_path: Path, game_id: str, agent_id: str) -> None:
    """Print an agent's best accepted policy (lowest new_cost)."""
    with _repository(db_path) as repo:
        if repo.get_game_session(game_id) is None:
            raise SessionNotFoundError(f"no game session with game_id {game_id!r} in {db_path}")
        best = repo.get_best_iteration(game_id, agent_id)
    if best is None:
        raise BabylonSqlError(
            f"agent {agent_id!r} has no accepted policy iteration in game {game_id!r}"
        )
    if state().json:
        emit_json({**_record(best), "new_policy": json.loads(best.new_policy_json)})
        return
    table(
        ["agent", "iteration", "new_cost", "improvement", "created_at (UTC)"],
        [
            [
                best.agent_id,
                best.iteration_number,
                best.new_cost,
                best.cost_improvement,
                best.created_at,
            ]
        ],
    )
    click.echo()
    click.echo(json.dumps(json.loads(best.new_policy_json), indent=2, sort_keys=True))
