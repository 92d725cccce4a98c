"""The JSON codec: one rule set for every JSON document the toolkit stores.

Graph attributes, ``graph.graph``, events, tick logs, session config,
extension documents, hex journal columns, trace data, vector metadata and
``where=`` filters, and the JSON text fields of the DuckDB game records all
go through this module. What is stored is what comes back, or the write
fails with a :class:`~babylon_sql.errors.SerializationError` (a
``TypeError``) that names the document (node, edge, row, field) and the
attribute; nothing is written then.

Carried exactly: ``None``, ``bool``, ``str``, ``int`` from -2**63 to
2**64 - 1, finite ``float`` (``-0.0``, ``1e20`` and ``1.5e16`` stay floats
where PostgreSQL stores ``json``, which keeps the text; ``jsonb`` columns
renormalise numbers), ``list`` and ``dict`` with ``str`` keys, nested to any
depth. The six characters ``\\u0000`` (a backslash, not a NUL) are text
like any other.

Converted, one way (documented, deliberate):

- ``tuple``, ``set``, ``frozenset`` → list (sets sorted when their items sort);
- ``datetime`` → RFC 3339 text (``2024-05-01T12:00:00+00:00``; a naive datetime
  stays naive: ``2024-05-01T12:00:00``), ``date`` / ``time`` → ISO text;
- ``UUID`` → its canonical text; ``Enum`` → its value;
- numpy scalars → the matching number, numpy arrays → nested lists.

Refused: ``NaN`` and ``±Infinity`` (JSON has no spelling for them and
PostgreSQL refuses them; accepting them on SQLite only would make the
backends disagree), dicts with non-``str`` keys (``{1: "one"}`` would come
back as ``{"1": "one"}``), integers outside 64 bits, strings holding a lone
surrogate (no UTF-8 form), and every other type.

NUL characters inside strings: carried by documents stored as ``json``
(PostgreSQL) or text (SQLite, DuckDB), which hold ``\\u0000`` escapes;
refused in documents PostgreSQL stores as ``jsonb`` (``jsonb=True``: session
config, action results, terrain and link state, hex journal, traces, vector
metadata and filters), which cannot hold them.
"""

from __future__ import annotations

import enum
import gc
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import orjson
from psycopg.types.json import Jsonb

from babylon_sql.errors import SerializationError, ValidationError
from babylon_sql.input.fields import check_text

#: orjson options every encoder of the toolkit uses.
ORJSON_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def json_default(value: Any) -> Any:
    """JSON forms of the types orjson does not write itself (its ``default=``)."""
    if isinstance(value, Mapping):  # mappings that are not dicts
        return dict(value)
    if isinstance(value, set | frozenset):
        try:
            return sorted(value)
        except TypeError:
            return list(value)
    if isinstance(value, tuple):  # tuple subclasses such as namedtuples
        return list(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"type {type(value).__name__} is not JSON serialisable")


def has_non_finite(value: Any) -> bool:
    """Whether ``value`` holds a NaN or an infinity anywhere inside it."""
    kind = type(value)
    if kind is float:
        return not math.isfinite(value)
    if kind is dict:
        return any(has_non_finite(v) for v in value.values())
    if kind is list or kind is tuple or kind is set or kind is frozenset:
        return any(has_non_finite(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not bool(np.isfinite(value).all())
    if isinstance(value, np.floating | np.complexfloating):
        return not bool(np.isfinite(value))
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Mapping):
        return any(has_non_finite(v) for v in value.values())
    return False


def dumps(document: Any, *, what: str, jsonb: bool = False) -> str:
    """Encode one document; ``what`` names it in errors (``"node 'n1'"``).

    ``jsonb=True`` for a PostgreSQL ``jsonb`` column: NUL characters refused.
    """
    return dumps_bytes(document, what=what, jsonb=jsonb).decode()


def dumps_bytes(document: Any, *, what: str, jsonb: bool = False) -> bytes:
    """:func:`dumps`, as UTF-8 bytes (what COPY and the drivers take)."""
    try:
        data = orjson.dumps(document, default=json_default, option=ORJSON_OPTIONS)
    except (TypeError, orjson.JSONEncodeError) as exc:
        raise _explain(document, what, exc) from None
    # orjson writes NaN and infinities as null: look closer only when a null
    # is there at all, which keeps the common case at C speed.
    if b"null" in data and has_non_finite(document):
        raise _explain(document, what, None)
    # A NUL is written as the escape \u0000; the six characters "\u0000" are
    # written with an escaped backslash, so the slow scan below decides.
    if jsonb and b"\\u0000" in data:
        path = nul_path(document)
        if path is not None:
            raise SerializationError(
                f"{what}: {path or 'value'} holds a NUL character, which PostgreSQL jsonb "
                "cannot store; remove it or encode the value"
            )
    return data


def jsonb_param(document: Any, *, what: str) -> Jsonb:
    """A query parameter for a ``jsonb`` column, encoded by :func:`dumps`."""
    return Jsonb(dumps(document, what=what, jsonb=True), dumps=_as_is)


def _as_is(text: Any) -> str:
    return str(text)


def nul_path(value: Any, path: str = "") -> str | None:
    """Where ``value`` holds a NUL character in a key or string (``"['a'][0]"``),
    ``""`` for ``value`` itself, ``None`` when it holds none."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return f"{path} key {key!r}"
            found = nul_path(item, f"{path}[{key!r}]")
            if found is not None:
                return found
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            found = nul_path(item, f"{path}[{i}]")
            if found is not None:
                return found
    elif isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return nul_path(value.tolist(), path)
    return None


def loads(text: str | bytes) -> Any:
    """Decode one document written by :func:`dumps`."""
    return orjson.loads(text)


#: 19 digits in a row: a number orjson might parse with less than its precision.
_LONG_NUMBER = re.compile(rb"[0-9]{19}")


def check_json_text(text: Any, *, what: str) -> str:
    """JSON given as text (the DuckDB game records): valid JSON under the
    rules of :func:`dumps`, kept verbatim.

    Malformed text raises :class:`ValidationError`; a document holding what
    :func:`dumps` refuses (NaN, ``1e400``, integers beyond 64 bits, lone
    surrogates) raises :class:`SerializationError`.
    """
    check_text(text, what, empty=False)
    raw = text.encode()
    try:
        if _LONG_NUMBER.search(raw):
            raise ValueError("numbers that orjson would round")
        document = orjson.loads(raw)
    except ValueError:
        # orjson refuses or rounds numbers beyond a double or 64 bits: the
        # standard parser reads them exactly, and dumps() then decides.
        try:
            document = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ValidationError(f"{what} is not valid JSON ({exc}): {text[:80]!r}") from None
        dumps_bytes(document, what=what)
    return str(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _explain(document: Any, what: str, exc: BaseException | None) -> SerializationError:
    """An error naming the first attribute of ``document`` that cannot be stored."""
    if isinstance(document, Mapping):
        for key, value in document.items():
            if not isinstance(key, str):
                return SerializationError(
                    f"{what}: attribute key {key!r} is a {type(key).__name__}; "
                    "attribute names must be str"
                )
            if not key.isascii():
                try:
                    key.encode()
                except UnicodeEncodeError:
                    return SerializationError(
                        f"{what}: attribute key {key!r} holds a lone surrogate, "
                        "which has no UTF-8 form"
                    )
            try:
                orjson.dumps(value, default=json_default, option=ORJSON_OPTIONS)
            except (TypeError, orjson.JSONEncodeError) as inner:
                return SerializationError(f"{what}: attribute {key!r} cannot be stored: {inner}")
            if has_non_finite(value):
                return SerializationError(
                    f"{what}: attribute {key!r} holds NaN or infinity, which JSON cannot carry"
                )
    if exc is None:
        return SerializationError(f"{what}: value holds NaN or infinity, which JSON cannot carry")
    return SerializationError(f"{what}: value cannot be stored: {exc}")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large batch of documents is encoded or decoded.

    Decoding a tick creates about a million dicts and lists, none of them in
    a cycle; with the collector on, its generation scans over those young
    objects double the time of a hydrate (measured: 0.6 s against 0.3 s).

    When the block ends, the objects it left are moved to the oldest
    generation, where long-lived objects end anyway, instead of being
    scanned once more by the first young collection after it (0.02 s for a
    10K-node graph, 0.3 s at 100K). ``gc.freeze()`` then ``gc.unfreeze()``
    moves them in constant time; it is done only when nothing is frozen
    already, so an application's own ``gc.freeze()`` is left alone.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
