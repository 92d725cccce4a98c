"""The SQL catalogue: every query and every DDL layer, loaded by aiosql.

Layout (see the README)::

    queries/<dialect>/<domain>/<name>.sql   one named query per file
    ddl/<dialect>/<NNN>_<layer>.sql         one schema layer per file

``dialect`` is ``pg``, ``sqlite`` or ``duckdb``. A query file's name line is
``-- name: <stem>(params)<op>``; a DDL file's is ``-- name: <layer>#`` where
``<layer>`` is the stem without its number. A DDL file may declare the
extensions it needs with a ``-- requires: postgis, vector`` line.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import aiosql

Dialect = Literal["pg", "sqlite", "duckdb"]

#: aiosql adapter per dialect.
_ADAPTER: dict[Dialect, str] = {"pg": "psycopg", "sqlite": "sqlite3", "duckdb": "duckdb"}

#: Largest number of rows handed to one ``executemany``.
BATCH_SIZE = 1000

_REQUIRES = re.compile(r"^--\s*requires\s*:\s*(?P<names>[\w\-, ]+)$", re.MULTILINE)


@functools.cache
def sql_root() -> Path:
    """Directory holding ``queries/`` and ``ddl/``.

    An installed wheel carries them in ``babylon_sql/_sql``; a source checkout
    (editable install) has them at the top of the repository.
    """
    packaged = Path(__file__).resolve().parent / "_sql"
    if (packaged / "queries").is_dir():
        return packaged
    repo = Path(__file__).resolve().parent.parent
    if (repo / "queries").is_dir():
        return repo
    raise FileNotFoundError("babylon-sql cannot find its queries/ and ddl/ directories")


def queries_dir(dialect: Dialect) -> Path:
    return sql_root() / "queries" / dialect


def ddl_dir(dialect: Dialect) -> Path:
    return sql_root() / "ddl" / dialect


def queries(dialect: Dialect) -> Any:
    """All named queries of one dialect, as an aiosql ``Queries`` tree.

    Sub-folders are namespaces: ``queries("pg").runtime.graph.copy_node_state``.
    While :func:`record_query_use` is active, the tree records every query
    that is run (called, or its ``.sql`` taken for a COPY or a composed
    statement).
    """
    loaded = _load_queries(dialect)
    if _used is None:
        return loaded
    return _RecordingNamespace(loaded, dialect)


@functools.cache
def _load_queries(dialect: Dialect) -> Any:
    return aiosql.from_path(
        queries_dir(dialect), _ADAPTER[dialect], kwargs=_adapter_kwargs(dialect)
    )


#: Names (``dialect.namespace.query``) of the queries run since
#: :func:`record_query_use` started recording; ``None`` when not recording.
_used: set[str] | None = None


def record_query_use() -> set[str]:
    """Start recording which queries run; returns the live set of their names.

    The test suite turns this on to prove that every query file is run by
    some test (``tests/conftest.py``), not merely named in the code.
    """
    global _used
    if _used is None:
        _used = set()
    return _used


def _write_used(path: str) -> None:
    if _used:
        with open(path, "a", encoding="utf-8") as out:
            out.write("".join(f"{name}\n" for name in sorted(_used)))


# A process started with BABYLON_SQL_RECORD_QUERIES=FILE (the test suite's
# CLI and worker subprocesses) appends the queries it ran to FILE at exit.
_RECORD_FILE = os.environ.get("BABYLON_SQL_RECORD_QUERIES")
if _RECORD_FILE:
    record_query_use()
    atexit.register(_write_used, _RECORD_FILE)


def all_query_names(dialect: Dialect) -> set[str]:
    """``dialect.namespace.query`` for every query file of a dialect."""
    root = queries_dir(dialect)
    return {
        ".".join((dialect, *path.relative_to(root).with_suffix("").parts))
        for path in root.rglob("*.sql")
    }


class _RecordingNamespace:
    """A view of an aiosql namespace that records the queries taken from it."""

    def __init__(self, target: Any, prefix: str) -> None:
        self._target = target
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        fqn = f"{self._prefix}.{name}"
        if isinstance(value, aiosql.queries.Queries):
            return _RecordingNamespace(value, fqn)
        if callable(value) and hasattr(value, "sql"):
            # aiosql's <name>_cursor variant runs the query of file <name>.
            return _RecordingQuery(value, fqn.removesuffix("_cursor"))
        if name.endswith("_cursor") and callable(value):
            return _RecordingQuery(value, fqn.removesuffix("_cursor"))
        return value


class _RecordingQuery:
    """One aiosql query; calling it or taking its ``.sql`` records its use."""

    def __init__(self, query: Any, fqn: str) -> None:
        self._query = query
        self._fqn = fqn
        self.__doc__ = query.__doc__

    def _mark(self) -> None:
        if _used is not None:
            _used.add(self._fqn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._mark()
        return self._query(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name == "sql":
            self._mark()
        return getattr(self._query, name)


def _adapter_kwargs(dialect: Dialect) -> dict[str, Any]:
    # DuckDB's conn.cursor() is a separate connection: a caller's transaction
    # would not cover the query. Run every DuckDB query on the caller's
    # connection itself.
    if dialect == "duckdb":
        return {"cursor_as_dict": False, "use_cursor": False}
    return {}


@dataclass(frozen=True)
class DdlLayer:
    """One numbered schema layer file."""

    number: int
    name: str
    path: Path
    requires: tuple[str, ...]

    @property
    def sql(self) -> str:
        """The statements of the layer as aiosql loaded them."""
        return str(_ddl_query(self.path).sql)

    def run(self, conn: Any) -> None:
        """Execute the layer's statements on ``conn`` (an aiosql ``#`` script)."""
        _ddl_query(self.path)(conn)

    def objects(self) -> tuple[str, ...]:
        """Names of the tables, views and indexes the layer creates."""
        found = _OBJECT_RE.findall(self.path.read_text(encoding="utf-8"))
        return tuple(dict.fromkeys(name.lower() for _kind, name in found))


_OBJECT_RE = re.compile(
    r"CREATE\s+(?:UNLOGGED\s+)?(?:OR\s+REPLACE\s+)?(TABLE|VIEW|INDEX|MATERIALIZED\s+VIEW)"
    r"\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)",
    re.IGNORECASE,
)


@functools.cache
def _ddl_query(path: Path) -> Any:
    dialect: Dialect = path.parent.name  # type: ignore[assignment]
    loaded = aiosql.from_path(path, _ADAPTER[dialect], kwargs=_adapter_kwargs(dialect))
    names = loaded.available_queries
    if len(names) != 1:
        raise ValueError(f"{path}: a DDL layer file holds exactly one named script")
    return getattr(loaded, names[0])


#: SQL files of ddl/<dialect>/ that are not schema layers: roles.sql is run
#: once per cluster and database by a superuser (``babylon-sql roles create``).
NOT_LAYERS = frozenset({"roles.sql"})


@functools.cache
def ddl_layers(dialect: Dialect) -> tuple[DdlLayer, ...]:
    """The schema layers of a dialect, in the order they apply."""
    layers = []
    for path in sorted(ddl_dir(dialect).glob("*.sql")):
        if path.name in NOT_LAYERS:
            continue
        number, _, name = path.stem.partition("_")
        if not number.isdigit() or not name:
            raise ValueError(f"{path}: DDL file names are NNN_layer.sql")
        text = path.read_text(encoding="utf-8")
        requires: tuple[str, ...] = ()
        match = _REQUIRES.search(text)
        if match:
            requires = tuple(n.strip() for n in match["names"].split(",") if n.strip())
        layers.append(DdlLayer(int(number), name, path, requires))
    return tuple(layers)


def render_ddl(dialect: Dialect, *, skip: Iterable[str] = ()) -> str:
    """The whole schema of a dialect as one script, layers in order."""
    skipped = set(skip)
    parts = []
    for layer in ddl_layers(dialect):
        if skipped.intersection(layer.requires):
            continue
        parts.append(f"-- layer {layer.path.name}\n{layer.sql.strip()}\n")
    return "\n".join(parts)


_COPY_TYPES = re.compile(r"^\s*copy-types\s*:\s*(?P<types>.+?)\s*$", re.MULTILINE)


def copy_types(query: Any) -> list[str]:
    """The column types a binary COPY query declares on its ``-- copy-types:`` line.

    They sit in the ``.sql`` file beside the column list they describe, so a
    DBA who changes one sees the other; ``cursor.copy().set_types()`` takes
    them as they are.
    """
    match = _COPY_TYPES.search(query.__doc__ or "")
    if match is None:
        raise ValueError(f"{query.__name__}: a binary COPY query needs a '-- copy-types:' line")
    return [name.strip() for name in match["types"].split(",")]


def named_rows(cursor: Any) -> list[dict[str, Any]]:
    """Every row of an executed cursor as a dict keyed by the query's column names.

    Use it with aiosql's ``<name>_cursor`` variant, so rows are read by the
    names the ``.sql`` file gives its columns, never by position::

        with q.graph.select_events_cursor(conn, session_id=sid, tick=None) as cur:
            events = named_rows(cur)
    """
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def named_row(cursor: Any) -> dict[str, Any] | None:
    """The first row of an executed cursor by column name, or ``None``."""
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((column[0] for column in cursor.description), row, strict=True))


def chunked(rows: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    """Split ``rows`` into lists of at most ``size`` items."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def run_batched(
    query: Any,
    conn: Any,
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    size: int = BATCH_SIZE,
) -> int:
    """Run an aiosql ``*!`` query over ``rows``, at most ``size`` rows per call.

    The caller owns the transaction: every chunk runs on ``conn`` inside it,
    so either all rows are written or, on error, none are. Returns the number
    of rows handed to the database.
    """
    total = 0
    for chunk in chunked(rows, size):
        query(conn, chunk)
        total += len(chunk)
    return total
