"""What every ``babylon-sql`` command shares: global options, JSON output, progress.

Global options (``--dsn``, ``--debug``, ``--json``, ``--quiet``) are accepted
before or after the subcommand: :func:`hoist_global_options` moves them in
front of it before click parses the command line, so every command, also one
added later, takes them without declaring them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import click
from psycopg import sql

from babylon_sql.archive.layout import session_tables
from babylon_sql.catalogue import queries
from babylon_sql.server.connector import Connector

T = TypeVar("T")

#: Options of the root group that may also follow the subcommand: name → takes a value.
GLOBAL_OPTIONS: dict[str, bool] = {
    "--dsn": True,
    "--debug": False,
    "--json": False,
    "--quiet": False,
    "-q": False,
}


@dataclass
class CliContext:
    """Settings of one ``babylon-sql`` invocation (``ctx.obj``)."""

    dsn: str | None = None
    debug: bool = False
    json: bool = False
    quiet: bool = False


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """``args`` with the global options moved in front (up to a ``--`` terminator).

    ``babylon-sql schema apply --dsn X`` becomes ``babylon-sql --dsn X schema
    apply``. Option values are kept with their option (``--dsn X`` and
    ``--dsn=X``).
    """
    front: list[str] = []
    rest: list[str] = []
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest.extend(items[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            front.append(arg)
            if GLOBAL_OPTIONS[name] and "=" not in arg and i + 1 < len(items):
                front.append(items[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def state(ctx: click.Context | None = None) -> CliContext:
    """The invocation's :class:`CliContext` (a default one outside the CLI)."""
    ctx = ctx or click.get_current_context(silent=True)
    found = None if ctx is None else ctx.find_object(CliContext)
    return found if found is not None else CliContext()


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (datetimes as ISO text, UUIDs and paths as text)."""
    click.echo(json.dumps(data, default=_default, indent=2, sort_keys=False))


def info(message: str) -> None:
    """An informational line on stderr; silent under ``--quiet`` and ``--json``."""
    s = state()
    if not (s.quiet or s.json):
        click.echo(message, err=True)


def warn(message: str) -> None:
    """A warning line on stderr (kept under ``--json``, silent under ``--quiet``)."""
    if not state().quiet:
        click.echo(f"warning: {message}", err=True)


@contextmanager
def progress(
    items: Iterable[T], *, length: int | None = None, label: str = ""
) -> Iterator[Iterable[T]]:
    """A progress bar on stderr over ``items`` (plain iteration under ``--quiet``/``--json``
    or when stderr is not a terminal)."""
    s = state()
    if s.quiet or s.json or not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield bar


def cell(value: Any) -> str:
    """How every table and field printer shows a value: terminal-safe text.

    Stored text goes through :func:`~babylon_sql.server.secrets.escape_controls`
    (``\x1b``, ``\r``, bidirectional overrides ...): a stored name cannot drive
    the terminal.
    """
    from babylon_sql.server.secrets import escape_controls

    return escape_controls(_text(value))


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, float):
        shown = f"{value:,.2f}"
        return shown if value == 0 or shown.strip("-0.,") else f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """An aligned text table on stdout; numbers right-aligned, text escaped."""
    cells = [[cell(v) for v in row] for row in rows]
    numeric = [
        bool(rows)
        and all(
            isinstance(r[i], int | float) and not isinstance(r[i], bool)
            for r in rows
            if r[i] is not None
        )
        for i in range(len(headers))
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    click.echo(line(headers))
    click.echo("  ".join("-" * w for w in widths))
    for r in cells:
        click.echo(line(r))


def fields(pairs: Sequence[tuple[str, Any]]) -> None:
    """``key  value`` lines, keys aligned, values escaped."""
    width = max(len(k) for k, _ in pairs)
    for key, value in pairs:
        click.echo(f"{key.ljust(width)}  {cell(value)}")


def human_bytes(n: float) -> str:
    """``n`` bytes as B, kB, MB or GB (powers of 1,000, like the design's budget)."""
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000.0
    return f"{n:,.1f} GB"  # pragma: no cover


def _state_file() -> Path:
    from babylon_sql.server.embedded import babylon_home

    return babylon_home() / "cli-state.json"


def first_time(key: str) -> bool:
    """True the first time ``key`` is asked about for this user (kept in ``cli-state.json``).

    Used to print a warning once per server instead of on every call. A state
    file that cannot be read or written makes every call a first time.
    """
    path = _state_file()
    try:
        seen = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(seen, dict):
            seen = {}
    except (OSError, ValueError):
        seen = {}
    keys = seen.setdefault("seen", [])
    if key in keys:
        return False
    keys.append(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(seen, indent=1), encoding="utf-8")
    except OSError:
        pass
    return True


def server_key(conn: Any) -> str:
    """``host:port`` of a psycopg connection's server (the socket directory for a local one)."""
    return f"{conn.info.host}:{conn.info.port}"


def session_rows(db: Connector, session_id: UUID) -> dict[str, tuple[int, int]]:
    """table → (rows, bytes of row data) of one session, for every session-scoped
    table (:func:`babylon_sql.archive.layout.session_tables`), in one transaction."""
    q = queries("pg").demo.session_row_bytes
    out: dict[str, tuple[int, int]] = {}
    with db.transaction() as conn:
        for t in session_tables(conn):
            statement = sql.SQL(q.sql).format(
                table=sql.Identifier(t.name), column=sql.Identifier(t.session_column)
            )
            row = conn.execute(statement, {"session_id": session_id}).fetchone()
            out[t.name] = (int(row[0]), int(row[1])) if row else (0, 0)
    return out


def session_row_counts(db: Connector, session_id: UUID) -> dict[str, int]:
    """table → rows of one session (``babylon-sql sessions show``)."""
    return {name: rows for name, (rows, _bytes) in session_rows(db, session_id).items()}
