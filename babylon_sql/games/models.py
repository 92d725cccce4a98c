"""Records and enums of the policy-optimisation games (SimCash's ``models``).

Records are frozen dataclasses, validated when they are built; construct
them with keyword arguments, as SimCash's models are.

Time zones
    A datetime comes back as it was given: a naive one stays naive and equal
    (``datetime.now()`` compares with what is read back); an aware one is
    kept as the same instant, in UTC. See :func:`db_time`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from babylon_sql.errors import ValidationError
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_key,
    check_text,
)

__all__ = [
    "GameMode",
    "GameSessionRecord",
    "GameStatus",
    "PolicyIterationRecord",
    "db_time",
    "normalise_time",
    "read_time",
]

INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1


class GameStatus(StrEnum):
    """The status of a game session."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CONVERGED = "converged"


class GameMode(StrEnum):
    """How a game optimises its agents."""

    RL_OPTIMIZATION = "rl_optimization"
    CAMPAIGN_LEARNING = "campaign_learning"


# --------------------------------------------------------------------------- validation


def _bad(record: str, name: str, expected: str, value: object) -> ValidationError:
    return ValidationError(f"{record}.{name} must be {expected}, got {value!r}")


def _check_text(record: str, name: str, value: object, *, empty: bool = False) -> str:
    # Identifiers (game_id, agent_id) are keys: non-blank, at most
    # MAX_KEY_BYTES; free text only has to be text (the input layer's rules).
    if empty:
        return check_text(value, f"{record}.{name}")
    return check_key(value, f"{record}.{name}", blank=False)


def _check_int(record: str, name: str, value: object, low: int, high: int) -> int:
    return check_int(value, f"{record}.{name}", low=low, high=high)


def _check_float(record: str, name: str, value: object, *, low: float = -math.inf) -> float:
    return check_float(value, f"{record}.{name}", low=low)


def _check_bool(record: str, name: str, value: object) -> bool:
    return check_bool(value, f"{record}.{name}")


def _check_json(record: str, name: str, value: object) -> str:
    return codec.check_json_text(value, what=f"{record}.{name}")


def _check_str_list(record: str, name: str, value: object) -> list[str]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _bad(record, name, "a list of strings", value)
    return [check_text(item, f"{record}.{name}[{i}]") for i, item in enumerate(value)]


def _check_datetime(record: str, name: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise _bad(record, name, "a datetime", value)
    return normalise_time(value)


def _check_choice(record: str, name: str, value: object, choices: type[StrEnum]) -> str:
    return check_choice(value, f"{record}.{name}", choices)


def normalise_time(value: datetime) -> datetime:
    """A naive datetime unchanged; an aware one as the same instant in UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=None)
    return value.astimezone(UTC)


def db_time(value: datetime) -> tuple[datetime, bool]:
    """The wall-clock value a TIMESTAMP column stores, and whether it is UTC.

    A naive datetime is stored as given (flag false); an aware one as its
    UTC wall-clock time (flag true), so reading can restore either kind.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=None), False
    return value.astimezone(UTC).replace(tzinfo=None), True


def read_time(value: datetime, is_utc: bool | None) -> datetime:
    """A stored wall-clock value back as the kind of datetime that was saved."""
    return value.replace(tzinfo=UTC) if is_utc else value


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GameSessionRecord:
    """One game session. A naive datetime stays naive; an aware one becomes
    the same instant in UTC."""

    game_id: str
    scenario_config: str
    master_seed: int
    game_mode: str
    config_json: str
    started_at: datetime
    status: str
    optimized_agents: list[str]
    completed_at: datetime | None = None
    total_iterations: int = 0
    converged: bool = False
    final_cost: float | None = None

    def __post_init__(self) -> None:
        r = "GameSessionRecord"
        values: dict[str, Any] = {
            "game_id": _check_text(r, "game_id", self.game_id),
            "scenario_config": _check_text(r, "scenario_config", self.scenario_config, empty=True),
            "master_seed": _check_int(r, "master_seed", self.master_seed, INT64_MIN, INT64_MAX),
            "game_mode": _check_choice(r, "game_mode", self.game_mode, GameMode),
            "config_json": _check_json(r, "config_json", self.config_json),
            "started_at": _check_datetime(r, "started_at", self.started_at),
            "status": _check_choice(r, "status", self.status, GameStatus),
            "optimized_agents": _check_str_list(r, "optimized_agents", self.optimized_agents),
            "completed_at": (
                None
                if self.completed_at is None
                else _check_datetime(r, "completed_at", self.completed_at)
            ),
            "total_iterations": _check_int(
                r, "total_iterations", self.total_iterations, 0, INT32_MAX
            ),
            "converged": _check_bool(r, "converged", self.converged),
            "final_cost": (
                None if self.final_cost is None else _check_float(r, "final_cost", self.final_cost)
            ),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class PolicyIterationRecord:
    """One policy proposal of one agent. ``created_at`` as in :class:`GameSessionRecord`."""

    game_id: str
    agent_id: str
    iteration_number: int
    trigger_tick: int
    old_policy_json: str
    new_policy_json: str
    old_cost: float
    new_cost: float
    cost_improvement: float
    was_accepted: bool
    validation_errors: list[str] = field(default_factory=list, kw_only=True)
    llm_model: str
    llm_latency_seconds: float
    tokens_used: int
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        r = "PolicyIterationRecord"
        values: dict[str, Any] = {
            "game_id": _check_text(r, "game_id", self.game_id),
            "agent_id": _check_text(r, "agent_id", self.agent_id),
            "iteration_number": _check_int(
                r, "iteration_number", self.iteration_number, 1, INT32_MAX
            ),
            "trigger_tick": _check_int(r, "trigger_tick", self.trigger_tick, 0, INT32_MAX),
            "old_policy_json": _check_json(r, "old_policy_json", self.old_policy_json),
            "new_policy_json": _check_json(r, "new_policy_json", self.new_policy_json),
            "old_cost": _check_float(r, "old_cost", self.old_cost),
            "new_cost": _check_float(r, "new_cost", self.new_cost),
            "cost_improvement": _check_float(r, "cost_improvement", self.cost_improvement),
            "was_accepted": _check_bool(r, "was_accepted", self.was_accepted),
            "validation_errors": _check_str_list(r, "validation_errors", self.validation_errors),
            "llm_model": _check_text(r, "llm_model", self.llm_model, empty=True),
            "llm_latency_seconds": _check_float(
                r, "llm_latency_seconds", self.llm_latency_seconds, low=0.0
            ),
            "tokens_used": _check_int(r, "tokens_used", self.tokens_used, 0, INT32_MAX),
            "created_at": _check_datetime(r, "created_at", self.created_at),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
