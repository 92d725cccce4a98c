"""The checks every writer of the toolkit applies to its arguments.

One definition each, so every backend and every method refuses the same
input with the same :class:`~babylon_sql.errors.ValidationError`, naming the
field (``what``), before anything is written:

- a tick is an ``int`` (not a ``bool``) between 0 and 2**31 - 1 (a
  PostgreSQL ``integer``); a session id is a UUID or its text;
- text (:func:`check_text`) is a ``str`` without NUL characters (PostgreSQL
  ``text`` cannot hold them) and without lone surrogates (they have no UTF-8
  form); ids, keys and names (:func:`check_key`) are also at most
  :data:`MAX_KEY_BYTES` bytes once UTF-8 encoded, so that every primary key
  holding one or two of them fits a PostgreSQL B-tree entry (about 2,700
  bytes). SQLite and DuckDB would take longer keys: the limit is enforced in
  Python so that every backend gives the same answer;
- numbers are finite (no NaN, no infinities); integers fit their column
  (64 bits at most), floats refuse integers beyond 64 bits too (they would
  not come back equal);
- an H3 cell is an ``int`` or its 15-hex-digit text (``"872830828ffffff"``),
  returned as an ``int`` (0, H3's "no cell", refused).
"""

from __future__ import annotations

import math
import numbers
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any

from babylon_sql.errors import ValidationError

#: Largest tick a column of type integer takes.
MAX_TICK = 2**31 - 1
#: Bounds of the integer column types.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: The text form of an H3 cell: 15 hex digits, nothing else (no 0x, no _).
_H3_TEXT = re.compile(r"[0-9a-fA-F]{15}")
#: Longest id, key or name, in UTF-8 bytes (1,024 ASCII characters).
MAX_KEY_BYTES = 1024


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
        f"{name} must be a UUID (a game_session id), got {type(session_id).__name__} "
        f"{_short(session_id)}"
    )


def check_opt_session_id(session_id: Any, *, name: str = "session_id") -> uuid.UUID | None:
    """``None``, or a session id as :func:`check_session_id` takes it."""
    return None if session_id is None else check_session_id(session_id, name=name)


# -- text ---------------------------------------------------------------------


def _short(value: Any) -> str:
    """``repr`` of a value, cut to 80 characters (error messages stay readable)."""
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}...{text[-12:]} ({len(text):,} chars)"


def check_text(
    value: Any,
    what: str,
    *,
    empty: bool = True,
    blank: bool = True,
    max_bytes: int | None = None,
) -> str:
    """A ``str`` that every backend stores as it is: no NUL, no lone surrogate.

    ``empty=False`` refuses ``""``; ``blank=False`` also refuses text of
    whitespace only; ``max_bytes`` bounds its UTF-8 length.
    """
    if type(value) is not str and not isinstance(value, str):
        raise ValidationError(f"{what} must be a str, got {type(value).__name__} {_short(value)}")
    if (not value and not empty) or (not blank and not value.strip()):
        raise ValidationError(f"{what} must be a non-empty str, got {_short(value)}")
    if "\x00" in value:
        raise ValidationError(
            f"{what} holds a NUL character, which PostgreSQL text cannot store: "
            f"{_short(value)}; remove it or encode the value"
        )
    if value.isascii():
        size = len(value)
    else:
        try:
            size = len(value.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise ValidationError(
                f"{what} holds a lone surrogate at position {exc.start} "
                f"({value[exc.start]!r}), which has no UTF-8 form; fix the text "
                "(e.g. decode bytes with errors='replace')"
            ) from None
    if max_bytes is not None and size > max_bytes:
        raise ValidationError(
            f"{what} is {size:,} bytes in UTF-8, above the limit of {max_bytes:,} for ids, "
            f"keys and names (a primary-key entry must fit an index page): {_short(value)}"
        )
    return str(value)


def check_opt_text(value: Any, what: str, *, empty: bool = True) -> str | None:
    """``None``, or text as :func:`check_text` takes it."""
    return None if value is None else check_text(value, what, empty=empty)


def check_key(value: Any, what: str, *, blank: bool = True) -> str:
    """An id, key or name: non-empty text of at most :data:`MAX_KEY_BYTES` bytes
    (``blank=False``: not whitespace only either)."""
    if (
        type(value) is str
        and 0 < len(value) <= 256
        and value.isascii()
        and "\x00" not in value
        and (blank or not value.isspace())
    ):
        return value  # fast path, the usual case
    return check_text(value, what, empty=False, blank=blank, max_bytes=MAX_KEY_BYTES)


def check_opt_key(value: Any, what: str) -> str | None:
    """``None``, or an id as :func:`check_key` takes it."""
    return None if value is None else check_key(value, what)


def storable_key(value: Any) -> str | None:
    """``value`` if it passes :func:`check_key`, else ``None`` (never raises).

    For columns derived from attributes (``node_type``, ``edge_type``,
    ``event_type``): the attribute itself round-trips in the JSON document;
    the column gets it only when every backend can hold it.
    """
    if type(value) is not str:
        return None
    try:
        return check_key(value, "")
    except ValidationError:
        return None


def check_keys(values: Iterable[Any], what: str) -> None:
    """Check many ids at once (fast when they are short ASCII text)."""
    for value in values:
        check_key(value, what)


# -- numbers ------------------------------------------------------------------


def check_int(value: Any, what: str, *, low: int = INT64_MIN, high: int = INT64_MAX) -> int:
    """An ``int`` (not a ``bool``) between ``low`` and ``high`` (64 bits by default)."""
    if type(value) is int and low <= value <= high:  # fast path, the usual case
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValidationError(f"{what} must be an int, got {type(value).__name__} {_short(value)}")
    out = int(value)
    if not low <= out <= high:
        raise ValidationError(f"{what} must be an int between {low} and {high}, got {_short(out)}")
    return out


def check_opt_int(
    value: Any, what: str, *, low: int = INT64_MIN, high: int = INT64_MAX
) -> int | None:
    """``None``, or an int as :func:`check_int` takes it."""
    return None if value is None else check_int(value, what, low=low, high=high)


def check_float(value: Any, what: str, *, low: float = -math.inf, high: float = math.inf) -> float:
    """A finite number as a ``float`` (``bool``, NaN, infinities and ints
    beyond 64 bits refused), between ``low`` and ``high``."""
    if type(value) is float and low <= value <= high and math.isfinite(value):
        return value  # fast path, the usual case
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValidationError(
            f"{what} must be a number, got {type(value).__name__} {_short(value)}"
        )
    if isinstance(value, numbers.Integral) and not INT64_MIN <= int(value) <= INT64_MAX:
        raise ValidationError(f"{what} must be a number within 64 bits, got {_short(value)}")
    out = float(value)
    if not math.isfinite(out):
        raise ValidationError(f"{what} must be finite (no NaN or infinity), got {out!r}")
    if not low <= out <= high:
        raise ValidationError(f"{what} must be between {low} and {high}, got {out!r}")
    return out


def check_opt_float(
    value: Any, what: str, *, low: float = -math.inf, high: float = math.inf
) -> float | None:
    """``None``, or a number as :func:`check_float` takes it."""
    return None if value is None else check_float(value, what, low=low, high=high)


def check_bool(value: Any, what: str) -> bool:
    """A ``bool`` (``0`` and ``1`` refused)."""
    if not isinstance(value, bool):
        raise ValidationError(f"{what} must be a bool, got {type(value).__name__} {_short(value)}")
    return value


def check_opt_bool(value: Any, what: str) -> bool | None:
    """``None``, or a ``bool``."""
    return None if value is None else check_bool(value, what)


# -- H3 cells -----------------------------------------------------------------


def check_h3(value: Any, what: str) -> int:
    """An H3 cell as an ``int``: given as an ``int`` or its 15-hex-digit text.

    Only the form is checked (0, H3's "no cell", is refused); whether the
    index is a valid cell of some resolution is the caller's check (the hex
    journal's ``invalid_cells``, vectorised over a batch).
    """
    if type(value) is int and 0 < value <= INT64_MAX:
        return value
    if isinstance(value, str):
        if _H3_TEXT.fullmatch(value) and int(value, 16):
            return int(value, 16)
    elif (
        isinstance(value, numbers.Integral)
        and not isinstance(value, bool)
        and 0 < int(value) <= INT64_MAX
    ):
        return int(value)
    raise ValidationError(
        f"{what} must be an H3 index (an H3 cell): an int between 1 and {INT64_MAX} or "
        f"its 15-hex-digit text, got {type(value).__name__} {_short(value)}"
    )


# -- choices and containers ---------------------------------------------------


def check_choice(value: Any, what: str, choices: Iterable[Any]) -> str:
    """One of ``choices`` (plain strings or the members of a ``StrEnum``);
    an enum member is returned as its plain string value."""
    allowed = [c.value if isinstance(c, Enum) else c for c in choices]
    plain = value.value if isinstance(value, Enum) else value
    if isinstance(plain, str) and plain in allowed:
        return str(plain)
    raise ValidationError(f"{what} must be one of {', '.join(allowed)}; got {_short(value)}")


def check_mapping(value: Any, what: str) -> Mapping[str, Any]:
    """A mapping (dict or any ``Mapping``)."""
    if not isinstance(value, Mapping):
        raise ValidationError(f"{what} must be a mapping, got {type(value).__name__}")
    return value


def iter_mappings(value: Any, what: str, item: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """``(index, mapping)`` for a sequence of mappings (``None``: none).

    A list or tuple is a sequence; a single mapping, a str or bytes is refused.
    """
    if value is None:
        return
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise ValidationError(
            f"{what} must be a sequence (list or tuple) of mappings, got {type(value).__name__}"
        )
    for i, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise ValidationError(f"{item} #{i} must be a mapping, got {type(entry).__name__}")
        yield i, entry


def check_unique(keys: Iterable[Any], what: str) -> None:
    """Each key at most once."""
    seen: set[Any] = set()
    for key in keys:
        if key in seen:
            raise ValidationError(f"{what} {_short(key)} appears twice in one write")
        seen.add(key)
