"""Arrow read path: a query's rows as a ``pyarrow.Table``, decoded by numpy.

Fetching 243K hex rows into Python tuples costs seconds, nearly all of it
building a Python object per value. Binary COPY avoids the objects but
sends one protocol message per row, and reading 243K messages through the
driver costs about as much (measured: ``scripts/bench_hex.py``). So the
server sends the whole result as ONE row of column aggregates, in the
binary protocol (``arrow_select``):

* each fixed-width column (``bool``, ``int2/4/8``, ``float4/8``, ``uuid``) as
  one array, NULLs replaced by zero: numpy reads its elements with one
  strided view;
* one ``bigint`` per row, the bitmask of its NULL columns;
* each other column as its text forms concatenated (one blob, which becomes
  the Arrow data buffer as is) and the array of their byte lengths (-1 for
  NULL), whose cumulative sum is the Arrow offsets buffer.

Every aggregate reads the same rows in the same order in one pass, so the
columns stay aligned; the query's own ORDER BY gives the row order.
Columns of other types (``text``, ``jsonb``, ``numeric``, arrays...) arrive
as Arrow strings in their PostgreSQL text form; ``uuid`` as ``pa.uuid()``.
One value may not exceed 1 GB (PostgreSQL's limit), about 80M rows of a
``float8`` column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pyarrow as pa
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.adapt import Loader

from babylon_sql.catalogue import queries
from babylon_sql.errors import SessionNotFoundError, ValidationError
from babylon_sql.input.fields import check_session_id, check_tick
from babylon_sql.server.connector import Connector, Pool, as_connector

#: PostgreSQL type OID -> (name for CAST, numpy big-endian dtype, Arrow type).
_FIXED: dict[int, tuple[str, str, Any]] = {
    16: ("boolean", "?", pa.bool_()),
    20: ("bigint", ">i8", pa.int64()),
    21: ("smallint", ">i2", pa.int16()),
    23: ("integer", ">i4", pa.int32()),
    700: ("real", ">f4", pa.float32()),
    701: ("double precision", ">f8", pa.float64()),
    2950: ("uuid", "V16", pa.uuid()),
}
_ZERO = {"uuid": "'00000000-0000-0000-0000-000000000000'"}
_MAX_FIELDS = 63  # the NULL bitmask is one bigint


@dataclass(frozen=True)
class _Column:
    name: str
    oid: int

    @property
    def fixed(self) -> bool:
        return self.oid in _FIXED


def _strip(text: str) -> str:
    return text.strip().rstrip(";").strip()


def _template(name: str) -> sql.SQL:
    return sql.SQL(_strip(getattr(queries("pg").hex.arrow, name).sql))


class _Raw(Loader):
    """Binary loader that hands the value's bytes over untouched."""

    format = psycopg.pq.Format.BINARY

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


#: Array OIDs of the fixed types, bigint[] and int4[] (the lengths), and text.
_RAW_OIDS = (1000, 1005, 1007, 1016, 1021, 1022, 2951, 25)


def read_arrow(
    pool: Connector | Pool, query: str | sql.Composable, params: Mapping[str, Any] | None = None
) -> pa.Table:
    """Run ``query`` (SQL text with ``%(name)s`` placeholders, or a composed
    statement) and return its rows as a ``pyarrow.Table``, in its order.

    At most 63 columns. Runs in one read-only transaction.
    """
    body = sql.SQL(_strip(query)) if isinstance(query, str) else query
    db = as_connector(pool)
    with db.connection() as conn:
        conn.read_only = True
        try:
            with conn.transaction():
                return _read(conn, body, dict(params or {}))
        finally:
            conn.read_only = False


def _read(conn: psycopg.Connection[Any], body: sql.Composable, args: dict[str, Any]) -> pa.Table:
    with conn.cursor() as cur:
        cur.execute(_template("arrow_describe").format(query=body), args)
        cols = [_Column(d.name, int(d.type_code)) for d in cur.description or []]
    if not cols:
        raise ValidationError("the query returns no columns")
    if len(cols) > _MAX_FIELDS:
        raise ValidationError(f"the Arrow read path takes at most {_MAX_FIELDS} columns")
    parts: list[sql.Composable] = []
    for c in cols:
        ident = sql.Identifier(c.name)
        if c.fixed:
            cast = _FIXED[c.oid][0]
            parts.append(
                _template("arrow_agg_fixed").format(
                    column=ident, zero=sql.SQL(_ZERO.get(cast, "0")), type=sql.SQL(cast)
                )
            )
        else:
            parts.append(_template("arrow_agg_text").format(column=ident))
            parts.append(_template("arrow_agg_length").format(column=ident))
    bits = sql.SQL(" + ").join(
        _template("arrow_null_bit").format(column=sql.Identifier(c.name), bit=sql.Literal(i))
        for i, c in enumerate(cols)
    )
    parts.append(_template("arrow_agg_nulls").format(bits=bits))
    stmt = _template("arrow_select").format(columns=sql.SQL(", ").join(parts), query=body)
    with conn.cursor(binary=True) as cur:
        for oid in _RAW_OIDS:
            cur.adapters.register_loader(oid, _Raw)
        cur.execute(stmt, args)
        row = cur.fetchone()
    assert row is not None
    n = int(row[0])
    values = iter(row[1:])
    arrays: list[pa.Array] = []
    pending: list[tuple[int, bytes | None, bytes | None]] = []
    for i, c in enumerate(cols):
        if c.fixed:
            pending.append((i, next(values), None))
        else:
            text = next(values)
            pending.append((i, text, next(values)))
    nulls = _elements(next(values), ">i8", n)
    for i, first, second in pending:
        c = cols[i]
        mask = ((nulls >> i) & 1).astype(bool)
        bitmap = pa.py_buffer(np.packbits(~mask, bitorder="little")) if mask.any() else None
        if c.fixed:
            arrays.append(_fixed(c, first, n, mask, bitmap))
        else:
            lengths = _elements(second, ">i4", n).astype(np.int64)
            offs = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.maximum(lengths, 0), out=offs[1:])
            arrays.append(
                pa.LargeStringArray.from_buffers(
                    n, pa.py_buffer(offs), pa.py_buffer(first or b""), bitmap, int(mask.sum())
                )
            )
    return pa.table(arrays, names=[c.name for c in cols])


def _elements(blob: bytes | None, dtype: str, n: int) -> Any:
    """The elements of a one-dimensional binary array without NULLs, as numpy."""
    if n == 0 or blob is None:
        return np.zeros(0, dtype=np.dtype(dtype).newbyteorder("="))
    ndim, _has_null, _oid = np.frombuffer(blob, ">i4", count=3)
    if ndim != 1 or int(np.frombuffer(blob, ">i4", count=1, offset=12)[0]) != n:
        raise RuntimeError("unexpected array layout in the Arrow read path")
    width = np.dtype(dtype).itemsize
    rec = np.frombuffer(
        blob,
        dtype=np.dtype({"names": ["v"], "formats": [dtype], "offsets": [4], "itemsize": 4 + width}),
        count=n,
        offset=20,
    )
    if dtype == "V16":
        return rec["v"]
    return rec["v"].astype(np.dtype(dtype).newbyteorder("="))


def _fixed(c: _Column, blob: bytes | None, n: int, mask: Any, bitmap: Any) -> pa.Array:
    _, dtype, arrow_type = _FIXED[c.oid]
    values = _elements(blob, dtype, n)
    if dtype == "V16":
        storage = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(16), n, [bitmap, pa.py_buffer(values.tobytes())], int(mask.sum())
        )
        return pa.ExtensionArray.from_storage(pa.uuid(), storage)
    return pa.array(values, type=arrow_type, mask=mask if bitmap is not None else None)


# --------------------------------------------------------------------------
# the hex journal's reads


#: Views the Arrow path reads whole games from.
HEX_VIEWS = ("hex_latest", "v_hex_economic", "v_hex_mobilize", "v_hex_heat", "v_hex_aid",
             "v_hex_intel")  # fmt: skip


def _game(db: Connector, game_id: Any) -> UUID:
    gid = check_session_id(game_id, name="game_id")
    with db.connection() as conn:
        found = queries("pg").hex.game_exists(conn, game_id=gid)
        conn.rollback()
    if found is None:
        raise SessionNotFoundError(f"no game_session row with session_id {gid}")
    return gid


def view_arrow(pool: Connector | Pool, game_id: UUID | str, view: str = "hex_latest") -> pa.Table:
    """Every row of one game in ``hex_latest`` or a composition view, as Arrow,
    ordered by ``h3_index`` (sorted client side: see ``arrow_view.sql``)."""
    if view not in HEX_VIEWS:
        raise ValidationError(f"view must be one of {', '.join(HEX_VIEWS)}, got {view!r}")
    db = as_connector(pool)
    gid = _game(db, game_id)
    query = _template("arrow_view").format(view=sql.Identifier(view))
    return read_arrow(db, query, {"game_id": gid}).sort_by("h3_index")


def reconstruct_arrow(pool: Connector | Pool, game_id: UUID | str, tick: int) -> pa.Table:
    """:func:`babylon_sql.hex.journal.reconstruct_hex_state` of every hex, as Arrow."""
    db = as_connector(pool)
    gid = _game(db, game_id)
    t = check_tick(tick)
    return read_arrow(db, queries("pg").hex.reconstruct_hex_state.sql, {"game_id": gid, "tick": t})
