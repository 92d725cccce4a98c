"""The output contract every ``scripts/bench_*.py`` shares with ``scripts/bench``.

A benchmark run with ``--json PATH`` also writes its headline figures to PATH
as a JSON list of rows::

    {"name": "runtime PG15: persist_tick (new tick)", "ours": 0.31, "baseline": 7.2,
     "unit": "s", "target": "<= 1 s", "better": "lower"}

``baseline`` is the naive way measured in the same run (``null`` when there is
none), ``target`` the figure the project aims at (text, or ``null``), and
``better`` says which way is better (``"lower"`` for times, ``"higher"`` for
rates), so ``scripts/bench`` can print ratio = how many times ours is better.

Import this module before parsing arguments: it takes ``--json PATH`` out of
``sys.argv`` (so each script's own parser never sees it) and writes the rows
when the script exits normally.
"""

from __future__ import annotations

import atexit
import json
import sys
from typing import Any

ROWS: list[dict[str, Any]] = []
#: Prefix of the next rows' names (a script sets it per section).
section = ""


def _take_json_path() -> str | None:
    argv = sys.argv
    for i, arg in enumerate(argv[1:], start=1):
        if arg == "--json" and i + 1 < len(argv):
            path = argv[i + 1]
            del argv[i : i + 2]
            return path
        if arg.startswith("--json="):
            del argv[i]
            return arg.split("=", 1)[1]
    return None


PATH = _take_json_path()


def record(
    name: str,
    ours: float,
    baseline: float | None = None,
    *,
    unit: str = "s",
    target: str | None = None,
    better: str = "lower",
) -> None:
    """Keep one headline figure (named with the current :data:`section`)."""
    ROWS.append(
        {
            "name": f"{section}: {name}" if section else name,
            "ours": ours,
            "baseline": baseline,
            "unit": unit,
            "target": target,
            "better": better,
        }
    )


def _write() -> None:
    if PATH is not None and sys.exc_info()[0] is None:
        with open(PATH, "w", encoding="utf-8") as out:
            json.dump(ROWS, out, indent=1)


atexit.register(_write)
