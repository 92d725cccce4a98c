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

import functools
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


@functools.cache
def queries(dialect: Dialect) -> Any:
    """All named queries of one dialect, as an aiosql ``Queries`` tree.

    Sub-folders are namespaces: ``queries("pg").runtime.graph.copy_node_state``.
    """
    return aiosql.from_path(
        queries_dir(dialect), _ADAPTER[dialect], kwargs=_adapter_kwargs(dialect)
    )


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
