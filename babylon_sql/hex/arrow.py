"""Arrow read path: a query's rows as a ``pyarrow.Table``, decoded by numpy.

Fetching 243K hex rows into Python tuples costs seconds, nearly all of it
building a Python object per value. Binary COPY avoids the objects but
sends one protocol message per row, and reading 243K messages through the
driver costs about as much (measured: ``scripts/bench_hex.py``). So the
server sends the whole result as ONE row of column aggregates, each one
``bytea``, in the binary protocol (``arrow_select``):

* each fixed-width column (``bool``, ``int2/4/8``, ``float4/8``, ``uuid``) as
  the binary forms of its non-NULL values (the type's send function)
  concatenated: numpy reads them with one ``frombuffer``;
* each other column as the text forms of its non-NULL values separated by
  a zero byte, which no text holds: numpy finds the separators and drops
  them, and the distances between them are the Arrow offsets;
* one ``bigint`` per row, the bitmask of its NULL columns (nested CASEs,
  ``arrow_null_bit``), which puts the values back in their rows. It costs
  the server a tenth of the read, so it covers only the columns that had
  NULLs the last time the same query ran (all of them the first time). A
  column left out that has a NULL now sends fewer values than rows, which
  the decoding notices, and the read runs again with every column covered.

A ``bytea`` is sent as it is. The first version of this path aggregated
arrays (``array_agg``); the server's ``array_send`` then calls the element
type's send function once per element again, with a length word each,
which at 216K hexes took longer than the aggregation itself (PG 15, all of
``hex_latest`` in one statement: 320 ms in the executor, the first byte
after 440 ms; now the statement takes about 280 ms and sends 32 MB instead
of 59, and ``view_arrow`` splits it further).

Every aggregate reads the same rows in the same order in one pass, so the
columns stay aligned; the query's own ORDER BY gives the row order.
Columns of other types (``text``, ``jsonb``, ``numeric``, arrays...) arrive
as Arrow ``large_string`` in their PostgreSQL text form; ``uuid`` as
``pa.uuid()``; the types are those of the first version. One column's
values may not exceed 1 GB (PostgreSQL's limit), about 130M rows of a
``float8`` column.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.adapt import Loader

from babylon_sql.catalogue import queries
from babylon_sql.errors import SessionNotFoundError, ValidationError
from babylon_sql.input.fields import check_session_id, check_tick
from babylon_sql.server.connector import Connector, Pool, as_connector

#: PostgreSQL type OID -> (send function, numpy big-endian dtype, Arrow type).
_FIXED: dict[int, tuple[str, str, Any]] = {
    16: ("boolsend", "u1", pa.bool_()),
    20: ("int8send", ">i8", pa.int64()),
    21: ("int2send", ">i2", pa.int16()),
    23: ("int4send", ">i4", pa.int32()),
    700: ("float4send", ">f4", pa.float32()),
    701: ("float8send", ">f8", pa.float64()),
    2950: ("uuid_send", "V16", pa.uuid()),
}
_MAX_FIELDS = 63  # the NULL bitmask is one bigint
#: Columns per nested CASE of the NULL bitmask (2^4 leaves each).
_NULL_GROUP = 4
_BYTEA = 17


@dataclass(frozen=True)
class _Column:
    name: str
    oid: int

    @property
    def fixed(self) -> bool:
        return self.oid in _FIXED


#: Query -> the columns its NULL mask covers (those seen with a NULL).
_NULLABLE: dict[tuple[str, tuple[_Column, ...]], list[_Column]] = {}
_NULLABLE_SIZE = 256
_NULLABLE_LOCK = threading.Lock()


def _strip(text: str) -> str:
    return text.strip().rstrip(";").strip()


def _template(name: str) -> sql.SQL:
    return sql.SQL(_strip(getattr(queries("pg").hex.arrow, name).sql))


class _Raw(Loader):
    """Binary loader that hands the value's bytes over untouched, not copied:
    the driver's buffer keeps its result alive while a view of it lives."""

    format = psycopg.pq.Format.BINARY

    def load(self, data: Buffer) -> Buffer:
        return data


def read_arrow(
    pool: Connector | Pool, query: str | sql.Composable, params: Mapping[str, Any] | None = None
) -> pa.Table:
    """Run ``query`` (SQL text with ``%(name)s`` placeholders, or a composed
    statement) and return its rows as a ``pyarrow.Table``, in its order.

    At most 63 columns. Runs in one read-only transaction.
    """
    return _read_arrow(pool, query, params)


def _read_arrow(
    pool: Connector | Pool,
    query: str | sql.Composable,
    params: Mapping[str, Any] | None,
    constants: Mapping[str, UUID | int] | None = None,
    *,
    order: str | None = None,
    game: UUID | None = None,
) -> pa.Table:
    """:func:`read_arrow`; the columns named in ``constants`` (``uuid`` or
    ``integer``) hold that value in every row, as the query says (a filter
    or a parameter in the select list), so they are not sent. ``order``: a
    column to sort the rows by, client side; ``game``: a game that must
    exist (checked in the same transaction)."""
    body = sql.SQL(_strip(query)) if isinstance(query, str) else query
    db = as_connector(pool)
    with db.connection() as conn:
        read_only, conn.read_only = conn.read_only, True
        try:
            with conn.transaction():
                if game is not None and queries("pg").hex.game_exists(conn, game_id=game) is None:
                    raise SessionNotFoundError(f"no game_session row with session_id {game}")
                return _read(conn, body, dict(params or {}), constants or {}, order)
        finally:
            conn.read_only = read_only


def _read(
    conn: psycopg.Connection[Any],
    body: sql.Composable,
    args: dict[str, Any],
    constants: Mapping[str, UUID | int],
    order: str | None,
) -> pa.Table:
    with conn.cursor() as cur:
        cur.execute(_template("arrow_describe").format(query=body), args)
        cols = [_Column(d.name, int(d.type_code)) for d in cur.description or []]
    if not cols:
        raise ValidationError("the query returns no columns")
    if len(cols) > _MAX_FIELDS:
        raise ValidationError(f"the Arrow read path takes at most {_MAX_FIELDS} columns")
    sent = [c for c in cols if c.name not in constants]
    for c in cols:
        if c.name in constants and c.oid not in (2950, 23):
            raise RuntimeError(f"constant column {c.name} is neither uuid nor integer")
    # The NULL mask costs the server a tenth of the read: it covers the
    # columns this query had NULLs in before (all of them the first time).
    # A column left out that has a NULL now sends fewer values than rows,
    # which the decoding notices: the read is then run again with them all.
    hint = (body.as_string(conn), tuple(cols))
    masked = _NULLABLE.get(hint)
    while True:
        row = _fetch(conn, body, args, sent, sent if masked is None else masked)
        try:
            table, nullable = _decode(row, cols, sent, masked, constants, order)
        except _UnmaskedNullError:
            if masked is None:
                raise RuntimeError("unexpected value layout in the Arrow read path") from None
            masked = None
            continue
        break
    with _NULLABLE_LOCK:
        if len(_NULLABLE) >= _NULLABLE_SIZE and hint not in _NULLABLE:
            _NULLABLE.pop(next(iter(_NULLABLE)))
        _NULLABLE[hint] = [c for c in sent if c in nullable or c in (masked or ())]
    return table


class _UnmaskedNullError(Exception):
    """A column has fewer values than rows: NULLs the mask did not cover."""


def _fetch(
    conn: psycopg.Connection[Any],
    body: sql.Composable,
    args: dict[str, Any],
    sent: list[_Column],
    masked: list[_Column],
) -> tuple[Any, ...]:
    """The one row: the row count, a value aggregate per sent column, then
    the NULL mask of the ``masked`` columns (if any)."""
    parts: list[sql.Composable] = []
    for c in sent:
        ident = sql.Identifier(c.name)
        if c.fixed:
            send = sql.SQL(_FIXED[c.oid][0])  # a name from _FIXED, not input
            parts.append(_template("arrow_agg_fixed").format(column=ident, send=send))
        else:
            parts.append(_template("arrow_agg_text").format(column=ident))
    if masked:
        groups = range(0, len(masked), _NULL_GROUP)
        bits = sql.SQL(" + ").join(_null_bits(masked[g : g + _NULL_GROUP], g, 0) for g in groups)
        parts.append(_template("arrow_agg_nulls").format(bits=bits))
    stmt = _template("arrow_select").format(columns=sql.SQL(", ").join(parts), query=body)
    with conn.cursor(binary=True) as cur:
        cur.adapters.register_loader(_BYTEA, _Raw)
        cur.execute(stmt, args)
        row = cur.fetchone()
    assert row is not None
    return tuple(row)


def _decode(
    row: tuple[Any, ...],
    cols: list[_Column],
    sent: list[_Column],
    masked: list[_Column] | None,
    constants: Mapping[str, UUID | int],
    order: str | None,
) -> tuple[pa.Table, set[_Column]]:
    """The table, and the columns that have a NULL."""
    n = int(row[0])
    blobs = dict(zip(sent, row[1:], strict=False))
    mask = sent if masked is None else masked
    nulls = _numbers(row[-1], ">i8", n) if mask else np.zeros(n, np.int64)
    seen = int(np.bitwise_or.reduce(nulls)) if n else 0  # the columns with a NULL
    valid: dict[_Column, Any] = {c: None for c in sent}
    for i, c in enumerate(mask):
        if seen >> i & 1:
            valid[c] = ((nulls >> i) & 1) == 0
    perm = None
    key = next((c for c in sent if c.name == order), None)
    if key is not None and key.fixed and valid[key] is None:
        dtype = _FIXED[key.oid][1]
        if np.dtype(dtype).kind == "i":  # an integer key without NULLs: numpy sorts
            perm = np.argsort(_numbers(blobs[key], dtype, n), kind="stable")
    arrays = [
        _constant(constants[c.name], n)
        if c.name in constants
        else _column(c, blobs[c], n, valid[c], perm)
        for c in cols
    ]
    table = pa.table(arrays, names=[c.name for c in cols])
    if order is not None and perm is None:
        table = table.sort_by(order)
    return table, {c for c, v in valid.items() if v is not None}


def _null_bits(group: list[_Column], first: int, bits: int) -> sql.Composable:
    """The NULL bits of ``group`` (columns ``first``... of the row) as nested
    CASEs; ``bits``: those of the columns before it in the group."""
    if not group:
        return _template("arrow_null_leaf").format(bits=sql.Literal(bits))
    rest = group[1:]
    return _template("arrow_null_bit").format(
        column=sql.Identifier(group[0].name),
        if_null=_null_bits(rest, first + 1, bits | (1 << first)),
        if_not_null=_null_bits(rest, first + 1, bits),
    )


def _numbers(blob: Buffer | None, dtype: str, count: int) -> Any:
    """``count`` values of ``dtype`` packed in ``blob`` (NULL when none), as numpy."""
    width = np.dtype(dtype).itemsize
    if len(blob or b"") != count * width:
        raise _UnmaskedNullError
    values = np.frombuffer(blob or b"", dtype=dtype)
    return values if dtype == "V16" else values.astype(values.dtype.newbyteorder("="))


def _column(c: _Column, blob: Buffer | None, n: int, valid: Any, perm: Any) -> pa.Array:
    """One column of ``n`` rows; ``valid``: which are not NULL (``None``: all),
    ``perm``: the row order (``None``: as sent)."""
    null_count = 0 if valid is None else n - int(np.count_nonzero(valid))
    if not c.fixed:
        text = _text(blob, n, valid, null_count)
        return text if perm is None else text.take(perm)
    _, dtype, arrow_type = _FIXED[c.oid]
    values = _numbers(blob, dtype, n - null_count)
    if null_count:
        full = np.zeros(n, dtype=values.dtype)
        full[valid] = values
        values = full
    if perm is not None:
        values = values[perm]
        valid = None if valid is None else valid[perm]
    if dtype == "V16":
        bitmap = _bitmap(valid) if null_count else None
        storage = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(16), n, [bitmap, pa.py_buffer(values.tobytes())], null_count
        )
        return pa.ExtensionArray.from_storage(pa.uuid(), storage)
    if dtype == "u1":
        values = values.astype(bool)
    return pa.array(values, type=arrow_type, mask=~valid if null_count else None)


def _bitmap(valid: Any) -> pa.Buffer:
    return pa.py_buffer(np.packbits(valid, bitorder="little"))


def _text(blob: Buffer | None, n: int, valid: Any, null_count: int) -> pa.Array:
    """Zero-byte separated values: the separators go, their places give the
    offsets."""
    count = n - null_count
    lengths = np.zeros(n, dtype=np.int64)
    data: Any = b""
    if count:
        if blob is None:
            raise _UnmaskedNullError
        buf = np.frombuffer(blob, dtype=np.uint8)
        is_sep = buf == 0
        seps = np.flatnonzero(is_sep)
        if len(seps) != count - 1:
            raise _UnmaskedNullError
        ends = np.append(seps, len(buf))
        ends[1:] -= seps + 1  # the lengths (the first value starts at 0)
        if valid is None:
            lengths[:] = ends
        else:
            lengths[valid] = ends
        data = buf[~is_sep] if len(seps) else buf
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    bitmap = _bitmap(valid) if null_count else None
    return pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data), bitmap, null_count
    )


def _constant(value: UUID | int, n: int) -> pa.Array:
    if isinstance(value, int):
        return pa.array(np.full(n, value, dtype=np.int32), type=pa.int32())
    storage = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(16), n, [None, pa.py_buffer(value.bytes * n)], 0
    )
    return pa.ExtensionArray.from_storage(pa.uuid(), storage)


# --------------------------------------------------------------------------
# the hex journal's reads


#: Views the Arrow path reads whole games from.
HEX_VIEWS = ("hex_latest", "v_hex_economic", "v_hex_mobilize", "v_hex_heat", "v_hex_aid",
             "v_hex_intel")  # fmt: skip


def view_arrow(pool: Connector | Pool, game_id: UUID | str, view: str = "hex_latest") -> pa.Table:
    """Every row of one game in ``hex_latest`` or a composition view, as Arrow,
    ordered by ``h3_index`` (sorted client side, by numpy before the Arrow
    arrays are built: see ``arrow_view.sql``). ``game_id`` is the same in
    every row, so it is not sent: the client fills the column in (same type,
    ``pa.uuid()``).

    ``hex_latest`` is read in two statements of one snapshot: the per-hex
    columns of every row, and the columns of each county's territory row
    (the same for all its hexes) through the view at one hex per county;
    the client repeats those per hex. Same columns, types and values as
    reading the whole view (``tests/test_hex_city.py`` compares them).
    """
    if view not in HEX_VIEWS:
        raise ValidationError(f"view must be one of {', '.join(HEX_VIEWS)}, got {view!r}")
    gid = check_session_id(game_id, name="game_id")
    query = _template("arrow_view").format(view=sql.Identifier(view))
    g = {"game_id": gid}
    if view != "hex_latest":
        return _read_arrow(pool, query, g, g, order="h3_index", game=gid)
    with as_connector(pool).snapshot() as conn:
        if queries("pg").hex.game_exists(conn, game_id=gid) is None:
            raise SessionNotFoundError(f"no game_session row with session_id {gid}")
        return _read_hex_latest(conn, query, gid)


def _read_hex_latest(conn: psycopg.Connection[Any], whole: sql.Composable, gid: UUID) -> pa.Table:
    """``hex_latest`` of one game: its per-hex columns, then its county
    columns at one hex per county, repeated per hex (see :func:`view_arrow`);
    the whole view in one read if its columns are not the ones expected."""
    g = {"game_id": gid}
    with conn.cursor() as cur:
        cur.execute(_template("arrow_describe").format(query=whole), g)
        names = [d.name for d in cur.description or []]
    q = queries("pg").hex.arrow
    hexes_sql, counties_sql = q.arrow_hex_latest_hexes.sql, q.arrow_hex_latest_counties.sql
    per_hex = _read(conn, sql.SQL(_strip(hexes_sql)), g, g, "h3_index")
    county = per_hex.column("county_fips")
    if county.null_count or per_hex.num_rows == 0:
        return _read(conn, whole, g, g, "h3_index")
    codes = pc.dictionary_encode(county).combine_chunks()
    dictionary, indices = codes.dictionary, codes.indices.to_numpy()
    # each county's first row: the rows written in reverse order, the last
    # write, which stays, is the first row
    first = np.empty(len(dictionary), dtype=np.int64)
    first[indices[::-1]] = np.arange(len(indices) - 1, -1, -1)
    hexes = per_hex.column("h3_index").to_numpy()
    # a bigint[] in its text form: psycopg's list dumper costs 10 ms here
    args = {"game_id": gid, "hexes": "{" + ",".join(map(str, hexes[first].tolist())) + "}"}
    counties = _read(conn, sql.SQL(_strip(counties_sql)), args, {}, "h3_index")
    found = counties.column("h3_index").to_numpy()
    at = np.searchsorted(found, hexes[first]).clip(0, max(len(found) - 1, 0))
    if (
        len(found) != len(first)
        or not np.array_equal(found[at], hexes[first])
        or not counties.column("county_fips").combine_chunks().take(at).equals(dictionary)
        or set(names) != set(per_hex.column_names) | set(counties.column_names)
    ):  # pragma: no cover - the view changed: read it whole
        return _read(conn, whole, g, g, "h3_index")
    rows = at[indices]
    columns = [
        per_hex.column(n) if n in per_hex.column_names else counties.column(n).take(rows)
        for n in names
    ]
    return pa.table(columns, names=names)


def reconstruct_arrow(pool: Connector | Pool, game_id: UUID | str, tick: int) -> pa.Table:
    """:func:`babylon_sql.hex.journal.reconstruct_hex_state` of every hex, as
    Arrow. Its ``tick`` column is the ``tick`` asked for in every row, so it is
    not sent: the client fills it in (``int32``, as sent)."""
    gid = check_session_id(game_id, name="game_id")
    t = check_tick(tick)
    query = queries("pg").hex.reconstruct_hex_state.sql
    # the query's tick column is CAST(:tick AS integer)
    return _read_arrow(pool, query, {"game_id": gid, "tick": t}, {"tick": t}, game=gid)
