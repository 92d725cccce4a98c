"""The checks every writer of the toolkit applies to its arguments.

One definition each, so every backend refuses the same input with the same
message: a tick is an ``int`` (not a ``bool``) between 0 and 2**31 - 1 (a
PostgreSQL ``integer``); a session id is a UUID or its text.
"""

from __future__ import annotations

import numbers
import uuid
from typing import Any

from babylon_sql.errors import ValidationError

#: Largest tick a column of type integer takes.
MAX_TICK = 2**31 - 1


def check_tick(tick: Any, *, name: str = "tick") -> int:
    """A tick is a non-negative ``int`` (``bool`` and text refused)."""
    if isinstance(tick, bool) or not isinstance(tick, numbers.Integral):
        raise ValidationError(
            f"{name} must be a non-negative int, got {type(tick).__name__} {tick!r}"
        )
    value = int(tick)
    if value < 0 or value > MAX_TICK:
        raise ValidationError(f"{name} must be between 0 and {MAX_TICK}, got {value}")
    return value


def check_session_id(session_id: Any, *, name: str = "session_id") -> uuid.UUID:
    """A session id is a UUID (or its text)."""
    if isinstance(session_id, uuid.UUID):
        return session_id
    if isinstance(session_id, str):
        try:
            return uuid.UUID(session_id)
        except ValueError:
            pass
    raise ValidationError(
        f"{name} must be a UUID (a game_session id), got {type(session_id).__name__} {session_id!r}"
    )
