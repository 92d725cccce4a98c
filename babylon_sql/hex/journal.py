"""The multi-resolution hex journal: journals, the hex_latest cache, history.

Tables (``ddl/pg/050_snapshot.sql``, ``060_hex_cache.sql``):

* ``territory_snapshot`` — county economics per tick (~3,100 rows/tick). A
  county keeps its last written row until it writes a new one, so the state
  of a county at tick *t* is its latest row at or before *t* (a tick may
  write only the counties that changed).
* ``hex_activity`` — sparse R7 activity per tick (~5K rows/tick). Activity is
  an event of one tick: a hex without a row at tick *t* has zero heat,
  no organisations and no actions at *t*.
* ``hex_map`` / ``hex_substrate`` — static R7 county mapping and R8 terrain,
  bulk loaded with COPY by :func:`load_hex_map` / :func:`load_hex_substrate`.
* ``hex_latest`` — the current state of every hex of a game, for frontend
  reads and the composition views.

Design chosen for ``hex_latest`` (measured by ``scripts/bench_hex.py``, figures
in the README): a per-hex table rewritten by ``UPDATE ... FROM`` every tick
writes 216K-243K rows (and their WAL) per tick, which cannot approach the
design's 25 ms budget, and grows with the hex count. Here ``hex_latest`` is
a view over

* ``hex_latest_head`` - per game, the tick shown. Phase 2 moves it;
* ``territory_snapshot`` at the head tick, read by primary key: the county
  values of every county written at that tick;
* ``hex_county_latest`` - per game, a pointer (a tick) for each *carried*
  county, one not written at the head tick, to its latest earlier row.
  Phase 1 maintains only these pointers: when every county writes every
  tick it writes nothing;
* ``hex_base`` - shared by all games, one row per hex: its county and its
  substrate aggregated per R7 parent (kept by the static loaders);
* ``hex_activity`` at the head tick, joined at read time, so hexes that went
  quiet lose their activity without any write.

A refresh therefore costs the same whatever the number of hexes.

Invariant, tested: after :func:`seed_hex_latest` and after every
:func:`refresh_hex_latest`, ``hex_latest`` equals
``reconstruct_hex_state(game_id, head tick)``. Journal writes for ticks at or
before the head keep it (activity is joined live; a territory rewrite at or
before the head rebuilds the pointers in the same transaction), and so do
the static loaders (they keep ``hex_base``; pointers cover every registered
county, hexes or not, so a county given hexes later shows at once).

Every function takes a pool, runs one transaction, and leaves nothing half
written when it raises.
"""

from __future__ import annotations

import math
import numbers
import re
import struct
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import h3.api.basic_int as h3i
import numpy as np
import psycopg
from psycopg.rows import dict_row

from babylon_sql.catalogue import copy_types, queries, run_batched
from babylon_sql.errors import (
    MissingExtensionError,
    SessionNotFoundError,
    ValidationError,
)
from babylon_sql.input.codec import dumps_bytes
from babylon_sql.input.fields import (
    INT32_MAX,
    INT64_MAX,
    INT64_MIN,
    check_float,
    check_h3,
    check_int,
    check_key,
    check_mapping,
    check_session_id,
    check_text,
    check_tick,
    check_unique,
)
from babylon_sql.server.connector import Connector, Pool, as_connector

#: Columns of a territory_snapshot row besides game_id and tick.
TERRITORY_FIELDS = (
    "county_fips",
    "value_tensor",
    "profit_rate",
    "exploitation_rate",
    "occ",
    "imperial_rent",
    "pop_total",
    "mobilizable_pop",
    "dominant_class",
    "class_distribution",
)
#: Columns of a hex_activity row besides game_id and tick.
ACTIVITY_FIELDS = (
    "h3_index",
    "heat",
    "heat_delta",
    "org_count",
    "org_presence",
    "actions_taken",
    "faction_control",
    "state",
)
HEX_MAP_FIELDS = ("h3_index", "county_fips", "resolution")
SUBSTRATE_FIELDS = (
    "h3_index",
    "parent_h3_index",
    "terrain_type",
    "water_coverage",
    "broadband",
    "surveillance",
)
_FIELDSETS: dict[Sequence[str], frozenset[str]] = {
    fields: frozenset(fields)
    for fields in (TERRITORY_FIELDS, ACTIVITY_FIELDS, HEX_MAP_FIELDS, SUBSTRATE_FIELDS)
}

#: Columns of a reconstruct_hex_state row (and of hex_latest, which also has
#: game_id, terrain_type, water_coverage and internet_access).
HEX_STATE_FIELDS = (
    "h3_index",
    "county_fips",
    "tick",
    "profit_rate",
    "exploitation_rate",
    "occ",
    "imperial_rent",
    "pop_total",
    "mobilizable_pop",
    "dominant_class",
    "heat",
    "heat_delta",
    "org_count",
    "org_presence",
    "actions_taken",
    "faction_control",
    "activity_tick",
)


@dataclass(frozen=True)
class RefreshReport:
    """What :func:`refresh_hex_latest` did."""

    game_id: UUID
    tick: int
    previous_tick: int
    """The head tick before the refresh."""
    counties_written: int
    """Carried-county pointers phase 1 inserted, moved or removed (none when
    every county writes every tick: those are read from the head tick's rows)."""
    full_rebuild: bool
    """Phase 1 rebuilt every county (the refresh went back in time)."""
    active_hexes: int
    """Hexes with a hex_activity row at ``tick``."""
    quieted_hexes: int
    """Hexes active at ``previous_tick`` and not at ``tick``: their activity is now zero."""
    phase1_ms: float
    phase2_ms: float


# --------------------------------------------------------------------------
# validation


def _game_id(game_id: Any) -> UUID:
    return check_session_id(game_id, name="game_id")


def _tick(tick: Any, name: str = "tick") -> int:
    return check_tick(tick, name=name)


def _name(ctx: str, field: str) -> str:
    return f"{ctx}: {field}" if field else ctx


# The checks below are those of babylon_sql.input.fields, behind a fast path
# for the usual exact-type value. A fast path accepts only what its check
# accepts; anything else goes to the check, so every entry point of the
# toolkit refuses a value with the same error and message.


def _int(
    value: Any, ctx: str, field: str = "", *, low: int = INT64_MIN, high: int = INT64_MAX
) -> int:
    if type(value) is int and low <= value <= high:  # fast path, the usual case
        return value
    return check_int(value, _name(ctx, field), low=low, high=high)


def _float(value: Any, ctx: str, field: str = "") -> float:
    if type(value) is float and math.isfinite(value):  # fast path, the usual case
        return value
    return check_float(value, _name(ctx, field))


def _opt_float(value: Any, ctx: str, field: str = "") -> float | None:
    return None if value is None else _float(value, ctx, field)


def _opt_int(value: Any, ctx: str, field: str = "", *, low: int = 0) -> int | None:
    return None if value is None else _int(value, ctx, field, low=low)


def _text(value: Any, ctx: str, field: str = "") -> str:
    """Free text (no length limit): non-empty, no NUL, no lone surrogate."""
    if type(value) is str and value and value.isascii() and "\x00" not in value:  # fast path
        return value
    return check_text(value, _name(ctx, field), empty=False)


def _opt_text(value: Any, ctx: str, field: str = "") -> str | None:
    return None if value is None else _text(value, ctx, field)


def _key(value: Any, ctx: str, field: str = "") -> str:
    """An id, key or name (county FIPS codes, county names): at most
    :data:`~babylon_sql.input.fields.MAX_KEY_BYTES` bytes of text."""
    return check_key(value, _name(ctx, field))


def _opt_key(value: Any, ctx: str, field: str = "") -> str | None:
    return None if value is None else check_key(value, _name(ctx, field))


def h3_int(value: Any, what: str = "h3_index") -> int:
    """An H3 index given as an int or as its 15 hex digits (``"872830828ffffff"``).

    Only the form is checked here (:func:`~babylon_sql.input.fields.check_h3`);
    :func:`invalid_cells` checks that it is a cell (of a resolution),
    vectorised over a batch.
    """
    if type(value) is int and 0 < value <= INT64_MAX:  # fast path
        return value
    return check_h3(value, what)


def h3_text(value: int) -> str:
    """The 15-hex-digit text of an H3 index (the original API's form)."""
    return format(value, "015x")


def invalid_cells(cells: Sequence[int], resolution: int | Sequence[int] | None = None) -> Any:
    """Positions of the entries of ``cells`` that are not H3 cells (of ``resolution``).

    Vectorised over the batch: the ``h3`` package's ``is_valid_cell`` for
    validity (pentagon rules included), the resolution from the index bits
    with numpy. ``resolution`` may be one value or one per cell.
    """
    n = len(cells)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    arr = np.fromiter(cells, dtype=np.uint64, count=n)
    ok = np.fromiter(map(h3i.is_valid_cell, cells), dtype=bool, count=n)
    if resolution is not None:
        want = np.asarray(resolution, dtype=np.uint64)
        ok &= ((arr >> np.uint64(52)) & np.uint64(15)) == want
    return np.flatnonzero(~ok)


def parents_of(cells: Sequence[int]) -> Any:
    """The immediate parent of every (valid, resolution >= 1) H3 cell, vectorised.

    The parent at resolution r - 1 of a cell of resolution r is the same index
    with the resolution field set to r - 1 and digit r set to 7 (unused).
    """
    arr = np.fromiter(cells, dtype=np.uint64, count=len(cells))
    res = (arr >> np.uint64(52)) & np.uint64(15)
    parent = (arr & ~np.uint64(15 << 52)) | ((res - np.uint64(1)) << np.uint64(52))
    return parent | (np.uint64(7) << (np.uint64(45) - np.uint64(3) * res))


def _refuse_cells(
    what: str, cells: Sequence[int], bad: Any, wanted: int | Sequence[int] | None = None
) -> None:
    if len(bad) == 0:
        return
    i = int(bad[0])
    cell = cells[i]
    more = f" ({len(bad) - 1} more rows like it)" if len(bad) > 1 else ""
    if not h3i.is_valid_cell(cell):
        reason = "is not an H3 cell"
    else:
        want = wanted if isinstance(wanted, int) or wanted is None else wanted[i]
        reason = f"is an H3 cell of resolution {h3i.get_resolution(cell)}, not {want}"
    raise ValidationError(
        f"{what} {i}: h3_index {cell} ({h3_text(cell) if cell > 0 else cell}) {reason}"
        f"{more}; nothing was written"
    )


#: jsonb in PostgreSQL's binary form: a version byte (1), then the JSON text.
#: The COPY statements declare these columns ``bytea`` on the client side, so
#: the bytes go out untouched and the server's jsonb input reads them.
_EMPTY_JSONB = b"\x01{}"
#: Header of a one-dimensional float8[12] without NULLs in binary form (ndim,
#: has-null flag, element type OID 701, length 12, lower bound 1), then
#: (length 8, value) per element.
_TENSOR = struct.Struct(">iiiii" + "id" * 12)


def _tensor(v: Sequence[float]) -> bytes:
    """A float8[12] in PostgreSQL's binary array form (the COPY sends it as bytes)."""
    return _TENSOR.pack(
        1, 0, 701, 12, 1,
        8, v[0], 8, v[1], 8, v[2], 8, v[3], 8, v[4], 8, v[5],
        8, v[6], 8, v[7], 8, v[8], 8, v[9], 8, v[10], 8, v[11],
    )  # fmt: skip


def _jsonb(value: Any, ctx: str, field: str) -> bytes:
    """A JSON dict column in jsonb's binary form, encoded by the toolkit's codec
    (:func:`babylon_sql.input.codec.dumps_bytes`, ``jsonb=True``: tuples become
    lists; NaN, infinities, integers beyond 64 bits, non-str keys, lone
    surrogates and NUL characters refused with a :class:`SerializationError`)."""
    if value is None or (type(value) is dict and not value):
        return _EMPTY_JSONB
    what = _name(ctx, field)
    if type(value) is not dict:
        check_mapping(value, what)
    return b"\x01" + dumps_bytes(value, what=what, jsonb=True)


def _mapping(row: Any, fields: Sequence[str], what: str) -> Mapping[str, Any]:
    if type(row) is dict and row.keys() <= _FIELDSETS[fields]:  # fast path
        return row
    r = check_mapping(row, what)
    unknown = r.keys() - _FIELDSETS[fields]
    if unknown:
        raise ValidationError(
            f"{what} has unknown field(s) {sorted(map(str, unknown))}; known: {', '.join(fields)}"
        )
    return r


_TERRITORY_KEYS = frozenset(TERRITORY_FIELDS)
_CLASSES = "class_distribution"


def _finite_or_none(x: Any) -> bool:
    # x - x == 0.0 holds for finite floats only (NaN and infinities give NaN)
    return x is None or (type(x) is float and x - x == 0.0)


def _territory_row(game_id: UUID, tick: int, row: Any, i: int) -> tuple[Any, ...]:
    """One territory row as a tuple in ``copy_territory_snapshot`` column order."""
    if type(row) is dict and row.keys() <= _TERRITORY_KEYS:  # fast path, the usual row
        fget = row.get
        county, tensor, dom = fget("county_fips"), fget("value_tensor"), fget("dominant_class")
        pr, er, occ, ir = (
            fget("profit_rate"),
            fget("exploitation_rate"),
            fget("occ"),
            fget("imperial_rent"),
        )
        pop, mob = fget("pop_total"), fget("mobilizable_pop")
        if (
            type(county) is str
            and 0 < len(county) <= 256
            and county.isascii()
            and "\x00" not in county
            and type(tensor) is list
            and len(tensor) == 12
            and all(type(v) is float and v - v == 0.0 for v in tensor)
            and _finite_or_none(pr)
            and _finite_or_none(er)
            and _finite_or_none(occ)
            and _finite_or_none(ir)
            and (pop is None or (type(pop) is int and 0 <= pop <= INT64_MAX))
            and (mob is None or (type(mob) is int and 0 <= mob <= INT64_MAX))
            and (
                dom is None
                or (type(dom) is str and dom != "" and dom.isascii() and "\x00" not in dom)
            )
        ):
            return (
                game_id, tick, county, _tensor(tensor), pr, er, occ, ir, pop, mob, dom,
                _jsonb(fget("class_distribution"), f"territory row {i} ({county})", _CLASSES),
            )  # fmt: skip
    what = f"territory row {i}"
    r = _mapping(row, TERRITORY_FIELDS, what)
    if "county_fips" not in r or "value_tensor" not in r:
        raise ValidationError(f"{what} needs county_fips and value_tensor")
    county = _key(r["county_fips"], what, "county_fips")
    where = f"{what} ({county})"
    tensor = r["value_tensor"]
    # fast path: 12 finite floats (x - x == 0.0 holds for finite floats only;
    # a sum would overflow for large finite components)
    if (
        type(tensor) is list
        and len(tensor) == 12
        and all(type(v) is float and v - v == 0.0 for v in tensor)
    ):
        values = tensor
    elif isinstance(tensor, str | bytes) or not isinstance(tensor, Iterable):
        raise ValidationError(f"{where}: value_tensor must be a sequence of 12 numbers")
    else:
        values = [_float(v, where, "value_tensor component") for v in tensor]
    if len(values) != 12:
        raise ValidationError(
            f"{where}: value_tensor must have 12 components (4x3), got {len(values)}"
        )
    get = r.get
    return (
        game_id,
        tick,
        county,
        _tensor(values),
        _opt_float(get("profit_rate"), where, "profit_rate"),
        _opt_float(get("exploitation_rate"), where, "exploitation_rate"),
        _opt_float(get("occ"), where, "occ"),
        _opt_float(get("imperial_rent"), where, "imperial_rent"),
        _opt_int(get("pop_total"), where, "pop_total"),
        _opt_int(get("mobilizable_pop"), where, "mobilizable_pop"),
        _opt_text(get("dominant_class"), where, "dominant_class"),
        _jsonb(get("class_distribution"), where, "class_distribution"),
    )


_ACTIVITY_KEYS = frozenset(ACTIVITY_FIELDS)


def _activity_row(game_id: UUID, tick: int, row: Any, i: int) -> tuple[Any, ...]:
    """One activity row as a tuple in ``copy_hex_activity`` column order."""
    if type(row) is dict and row.keys() <= _ACTIVITY_KEYS:  # fast path, the usual row
        fast = row.get
        h, heat, delta = fast("h3_index"), fast("heat", 0.0), fast("heat_delta", 0.0)
        orgs, presence, actions = (
            fast("org_count", 0),
            fast("org_presence", 0.0),
            fast("actions_taken", 0),
        )
        # x - x == 0.0 holds for finite floats only (NaN and infinities give NaN)
        if (
            type(h) is int
            and 0 < h <= INT64_MAX
            and type(heat) is float
            and heat - heat == 0.0
            and type(delta) is float
            and delta - delta == 0.0
            and type(presence) is float
            and presence - presence == 0.0
            and type(orgs) is int
            and 0 <= orgs <= INT32_MAX
            and type(actions) is int
            and 0 <= actions <= INT32_MAX
        ):
            what = f"activity row {i}"
            return (
                game_id, tick, h, heat, delta, orgs, presence, actions,
                _jsonb(fast("faction_control"), what, "faction_control"),
                _jsonb(fast("state"), what, "state"),
            )  # fmt: skip
    what = f"activity row {i}"
    r = _mapping(row, ACTIVITY_FIELDS, what)
    if "h3_index" not in r:
        raise ValidationError(f"{what} needs h3_index")
    h3 = h3_int(r["h3_index"], f"{what}: h3_index")
    get = r.get
    return (
        game_id,
        tick,
        h3,
        _float(get("heat", 0.0), what, "heat"),
        _float(get("heat_delta", 0.0), what, "heat_delta"),
        _int(get("org_count", 0), what, "org_count", low=0, high=INT32_MAX),
        _float(get("org_presence", 0.0), what, "org_presence"),
        _int(get("actions_taken", 0), what, "actions_taken", low=0, high=INT32_MAX),
        _jsonb(get("faction_control"), what, "faction_control"),
        _jsonb(get("state"), what, "state"),
    )


def _hex_map_row(row: Any, i: int) -> tuple[int, str, int]:
    what = f"hex_map row {i}"
    r = _mapping(row, HEX_MAP_FIELDS, what)
    if "h3_index" not in r or "county_fips" not in r:
        raise ValidationError(f"{what} needs h3_index and county_fips")
    county = _key(r["county_fips"], what, "county_fips")
    return (
        h3_int(r["h3_index"], f"{what}: h3_index"),
        county,
        _int(r.get("resolution", 7), what, "resolution", low=0, high=15),
    )


_SUBSTRATE_KEYS = frozenset(SUBSTRATE_FIELDS)


def _substrate_row(
    row: Any, i: int
) -> tuple[int, int, str | None, float | None, bool | None, float | None]:
    if type(row) is dict and row.keys() <= _SUBSTRATE_KEYS:  # fast path, the usual row
        h, p = row.get("h3_index"), row.get("parent_h3_index")
        terrain, water = row.get("terrain_type"), row.get("water_coverage")
        broadband, surveillance = row.get("broadband"), row.get("surveillance")
        if (
            type(h) is int
            and type(p) is int
            and 0 < h <= INT64_MAX
            and 0 < p <= INT64_MAX
            and (
                terrain is None
                or (
                    type(terrain) is str and terrain and terrain.isascii() and "\x00" not in terrain
                )
            )
            and (water is None or (type(water) is float and 0.0 <= water <= 1.0))
            and (broadband is None or type(broadband) is bool)
            and (
                surveillance is None
                or (type(surveillance) is float and math.isfinite(surveillance))
            )
        ):
            return (h, p, terrain, water, broadband, surveillance)
    what = f"hex_substrate row {i}"
    r = _mapping(row, SUBSTRATE_FIELDS, what)
    if "h3_index" not in r or "parent_h3_index" not in r:
        raise ValidationError(f"{what} needs h3_index and parent_h3_index")
    water = _opt_float(r.get("water_coverage"), what, "water_coverage")
    if water is not None and not 0.0 <= water <= 1.0:
        raise ValidationError(f"{what}: water_coverage must be between 0 and 1, got {water}")
    broadband = r.get("broadband")
    if broadband is not None and not isinstance(broadband, bool):
        raise ValidationError(f"{what}: broadband must be a bool or None, got {broadband!r}")
    return (
        h3_int(r["h3_index"], f"{what}: h3_index"),
        h3_int(r["parent_h3_index"], f"{what}: parent_h3_index"),
        _opt_text(r.get("terrain_type"), what, "terrain_type"),
        water,
        broadband,
        _opt_float(r.get("surveillance"), what, "surveillance"),
    )


def _unique(keys: Iterable[Any], what: str) -> None:
    keys = list(keys)
    if len(set(keys)) != len(keys):
        check_unique(keys, what)


def _copy(conn: psycopg.Connection[Any], query: Any, records: Sequence[tuple[Any, ...]]) -> int:
    """Stream ``records`` through the binary COPY of ``query`` (caller's transaction)."""
    with conn.cursor() as cur, cur.copy(query.sql) as copy:
        copy.set_types(copy_types(query))
        for rec in records:
            copy.write_row(rec)
    return len(records)


def _rebuild_base(conn: psycopg.Connection[Any]) -> int:
    q = queries("pg").hex
    q.lock_hex_base(conn)
    q.delete_hex_base(conn)
    rows = int(q.rebuild_hex_base(conn))
    q.analyze_hex_base(conn)
    return rows


#: Above this many changed hexes a static load rebuilds hex_base whole (one
#: hash aggregate over the substrate) instead of upserting hex by hex.
FULL_REBUILD_HEXES = 50_000


def _sync_base(conn: psycopg.Connection[Any], hexes: Sequence[int]) -> None:
    """Bring hex_base up to date for the R7 hexes a static load changed."""
    if not hexes:
        return
    if len(hexes) > FULL_REBUILD_HEXES:
        _rebuild_base(conn)
    else:
        queries("pg").hex.upsert_hex_base(conn, h3_indexes=list(hexes))


def rebuild_hex_base(pool: Connector | Pool) -> int:
    """Rebuild ``hex_base`` from ``hex_map`` and ``hex_substrate`` (one transaction).

    The loaders keep it up to date; call it yourself after writing ``hex_map``
    or ``hex_substrate`` any other way. Readers see the old rows until
    commit. Returns the number of hexes.
    """
    db = as_connector(pool)
    with db.transaction() as conn:
        return _rebuild_base(conn)


# --------------------------------------------------------------------------
# static loads


def _merge(
    conn: psycopg.Connection[Any],
    checked: Sequence[tuple[Any, ...]],
    copy: Any,
    create_stage: Any,
    copy_stage: Any,
    upsert: Any,
) -> list[tuple[Any, ...]] | None:
    """COPY new static rows, or merge them when some already exist.

    The usual bulk load meets no existing row: one binary COPY straight into
    the table, under a savepoint. If it meets one, the savepoint is rolled
    back and the rows go through a temporary staging table and an upsert,
    which returns the rows it inserted or changed. ``None`` means every row
    was new.
    """
    try:
        with conn.transaction():
            _copy(conn, copy, checked)
        return None
    except psycopg.errors.UniqueViolation:
        pass
    create_stage(conn)
    _copy(conn, copy_stage, checked)
    return [tuple(r) for r in upsert(conn)]


def load_counties(pool: Connector | Pool, rows: Iterable[Mapping[str, Any]]) -> int:
    """Register counties (``county_fips``, optional ``state_fips`` and ``name``).

    ``territory_snapshot`` rows must name a registered county;
    :func:`load_hex_map` registers the counties of its rows itself, so this
    is needed only for counties that have no hexes yet. An upsert (state and
    name replaced); one transaction. Returns the number of rows.
    """
    checked = []
    for i, row in enumerate(rows):
        what = f"county row {i}"
        row = check_mapping(row, what)
        unknown = row.keys() - {"county_fips", "state_fips", "name"}
        if unknown:
            raise ValidationError(
                f"{what} has unknown field(s) {sorted(map(str, unknown))}; "
                "known: county_fips, state_fips, name"
            )
        checked.append(
            {
                "county_fips": _key(row.get("county_fips"), what, "county_fips"),
                "state_fips": _opt_key(row.get("state_fips"), what, "state_fips"),
                "name": _opt_key(row.get("name"), what, "name"),
            }
        )
    _unique((r["county_fips"] for r in checked), "county_fips")
    db = as_connector(pool)
    with db.transaction() as conn:
        run_batched(queries("pg").hex.upsert_hex_county, conn, checked)
    return len(checked)


def load_hex_map(pool: Connector | Pool, rows: Iterable[Mapping[str, Any]]) -> int:
    """Load or change county-to-hex rows (``h3_index``, ``county_fips``, ``resolution``=7).

    ``h3_index`` is an int or its 15 hex digits and must be an H3 cell of
    ``resolution``. A hex already mapped to another county is reassigned
    (an upsert of the mapping); a hex mapped to the same county is left
    alone. The counties are registered (see :func:`load_counties`).
    ``hex_base`` and every seeded game's ``hex_latest`` follow in the same
    transaction, so ``hex_latest`` stays equal to :func:`reconstruct_hex_state`
    (which, ``hex_map`` being static, also shows past ticks with the current
    mapping). A bad row raises :class:`ValidationError` naming it and
    nothing is written. Returns the number of rows given.
    """
    checked = [_hex_map_row(row, i) for i, row in enumerate(rows)]
    _unique((r[0] for r in checked), "hex_map h3_index")
    cells = [r[0] for r in checked]
    _refuse_cells("hex_map row", cells, invalid_cells(cells, [r[2] for r in checked]),
                  [r[2] for r in checked])  # fmt: skip
    db = as_connector(pool)
    with db.transaction() as conn:
        _load_hex_map(conn, checked)
    return len(checked)


def _load_hex_map(conn: psycopg.Connection[Any], checked: Sequence[tuple[Any, ...]]) -> None:
    q = queries("pg").hex
    q.lock_hex_base(conn)
    q.register_hex_counties(conn, county_fips=sorted({r[1] for r in checked}))
    changed = _merge(
        conn,
        checked,
        q.copy_hex_map,
        q.create_hex_map_stage,
        q.copy_hex_map_stage,
        q.upsert_hex_map_from_stage,
    )
    pairs = [(r[0], r[1]) for r in checked] if changed is None else changed
    if not pairs:
        return
    q.analyze_hex_map(conn)
    _sync_base(conn, [h for h, _ in pairs])


def load_hex_substrate(pool: Connector | Pool, rows: Iterable[Mapping[str, Any]]) -> int:
    """Load or change static R8 substrate rows (one transaction).

    Each row: ``h3_index`` (an R8 cell, int or 15 hex digits),
    ``parent_h3_index`` (its R7 parent: the immediate parent of the cell),
    ``terrain_type``, ``water_coverage`` (0 to 1), ``broadband`` (bool),
    ``surveillance``. A child already loaded is replaced. The R7 hexes whose
    children changed get their aggregate rebuilt in ``hex_base``, so every
    game's ``hex_latest`` shows it at once. A bad row raises
    :class:`ValidationError` naming it and nothing is written.
    """
    checked = [_substrate_row(row, i) for i, row in enumerate(rows)]
    _unique((r[0] for r in checked), "hex_substrate h3_index")
    cells = [r[0] for r in checked]
    bad = invalid_cells(cells)
    _refuse_cells("hex_substrate row", cells, bad)
    if checked:
        res = (np.fromiter(cells, dtype=np.uint64, count=len(cells)) >> np.uint64(52)) & 15
        top = np.flatnonzero(res == 0)
        if len(top):
            i = int(top[0])
            raise ValidationError(
                f"hex_substrate row {i}: h3_index {h3_text(cells[i])} is a resolution-0 cell, "
                "which has no parent; nothing was written"
            )
        given = np.fromiter((r[1] for r in checked), dtype=np.uint64, count=len(checked))
        wrong = np.flatnonzero(parents_of(cells) != given)
        if len(wrong):
            i = int(wrong[0])
            real = h3i.cell_to_parent(cells[i], h3i.get_resolution(cells[i]) - 1)
            raise ValidationError(
                f"hex_substrate row {i}: parent_h3_index {h3_text(checked[i][1])} is not the "
                f"parent of {h3_text(cells[i])} (its parent is {h3_text(real)})"
                f"{f' ({len(wrong) - 1} more rows like it)' if len(wrong) > 1 else ''}; "
                "nothing was written"
            )
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        q.lock_hex_base(conn)
        changed = _merge(
            conn,
            checked,
            q.copy_hex_substrate,
            q.create_hex_substrate_stage,
            q.copy_hex_substrate_stage,
            q.upsert_hex_substrate_from_stage,
        )
        parents = sorted({r[1] for r in checked}) if changed is None else [r[0] for r in changed]
        if parents:
            q.analyze_hex_substrate(conn)
            _sync_base(conn, parents)
    return len(checked)


# --------------------------------------------------------------------------
# journals


def _journal_tick(conn: psycopg.Connection[Any], gid: UUID, tick: int) -> None:
    """Refuse a write that skips ticks; record the tick (caller's transaction).

    A game's journal starts at tick 0 and grows one tick at a time: a write
    may rewrite any tick up to the last one journaled, or add the next.
    """
    q = queries("pg").hex
    last = q.hex_journal_head_tick(conn, game_id=gid)
    nxt = 0 if last is None else int(last) + 1
    if tick > nxt:
        where = "has no journal yet" if last is None else f"is journaled up to tick {last}"
        raise ValidationError(
            f"ticks out of order: game {gid} {where}, so the next tick to write is {nxt}, "
            f"not {tick} (earlier ticks may be rewritten); nothing was written"
        )
    q.advance_hex_journal_head(conn, game_id=gid, tick=tick)


def _checked_territory(gid: UUID, tick: int, rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    checked = [_territory_row(gid, tick, row, i) for i, row in enumerate(rows)]
    _unique((r[2] for r in checked), "county_fips")
    return checked


def _checked_activity(gid: UUID, tick: int, rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    checked = [_activity_row(gid, tick, row, i) for i, row in enumerate(rows)]
    _unique((r[2] for r in checked), "h3_index")
    return checked


def _write_territory(
    conn: psycopg.Connection[Any],
    gid: UUID,
    tick: int,
    checked: Sequence[tuple[Any, ...]],
    head: int | None,
) -> int:
    """Replace one tick's county rows (caller's transaction, lock and journal head).

    The rows go in first and are checked against ``hex_county`` afterwards
    by one probe per row (``unknown_territory_counties``): a refusal raises
    and the caller's transaction rolls everything back.
    """
    q = queries("pg").hex
    q.delete_territory_tick(conn, game_id=gid, tick=tick)
    written = _copy(conn, q.copy_territory_snapshot, checked)
    if checked:
        unknown = [row[0] for row in q.unknown_territory_counties(conn, game_id=gid, tick=tick)]
        if unknown:
            i = next(i for i, r in enumerate(checked) if r[2] == unknown[0])
            raise ValidationError(
                f"territory row {i}: county {unknown[0]!r} is unknown"
                f"{f' (and {len(unknown) - 1} more counties)' if len(unknown) > 1 else ''}; "
                "register it with load_counties or load_hex_map first; nothing was written"
            )
    if head is not None and tick <= head:
        q.delete_hex_county_latest(conn, game_id=gid)
        q.rebuild_hex_county_latest(conn, game_id=gid, tick=head)
    return written


def _write_activity(
    conn: psycopg.Connection[Any], gid: UUID, tick: int, checked: Sequence[tuple[Any, ...]]
) -> int:
    """Replace one tick's activity rows (caller's transaction, lock and journal head).

    Checked against ``hex_map`` after the COPY (``unmapped_activity_hexes``),
    as for :func:`_write_territory`.
    """
    q = queries("pg").hex
    q.delete_hex_activity_tick(conn, game_id=gid, tick=tick)
    written = _copy(conn, q.copy_hex_activity, checked)
    if checked:
        unmapped = [row[0] for row in q.unmapped_activity_hexes(conn, game_id=gid, tick=tick)]
        if unmapped:
            _refuse_hexes(unmapped, "hex_activity")
    return written


def write_territory_snapshot(
    pool: Connector | Pool, game_id: UUID | str, tick: int, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Replace the county rows of one tick (idempotent; one transaction).

    Each row needs ``county_fips`` (a county of ``hex_county``: see
    :func:`load_counties`, :func:`load_hex_map`) and ``value_tensor`` (12
    finite numbers); ``profit_rate``, ``exploitation_rate``, ``occ``,
    ``imperial_rent`` (finite numbers), ``pop_total``, ``mobilizable_pop``
    (ints >= 0), ``dominant_class`` (str) and ``class_distribution`` (JSON
    dict) are optional. Ticks are written in order (tick 0 first, then each
    next one; earlier ticks may be rewritten). Rewriting a tick at or before
    the game's hex_latest head rebuilds the cached county rows in the same
    transaction, so hex_latest stays equal to the reconstruction of its head
    tick. :func:`write_hex_tick` writes a whole tick (both journals and the
    refresh) in one transaction.
    """
    return _write_journal(pool, game_id, tick, rows, territory=True)


def write_hex_activity(
    pool: Connector | Pool, game_id: UUID | str, tick: int, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Replace the activity rows of one tick (idempotent; one transaction).

    Each row needs ``h3_index`` (a hex of ``hex_map``, as an int or 15 hex
    digits); ``heat``, ``heat_delta``, ``org_presence`` (finite numbers),
    ``org_count``, ``actions_taken`` (ints >= 0), ``faction_control`` and
    ``state`` (JSON dicts) default to zero / empty. Only hexes with activity
    need a row. Ticks are written in order, as for
    :func:`write_territory_snapshot`.
    """
    return _write_journal(pool, game_id, tick, rows, territory=False)


def _write_journal(
    pool: Connector | Pool,
    game_id: UUID | str,
    tick: int,
    rows: Iterable[Mapping[str, Any]],
    *,
    territory: bool,
) -> int:
    """One journal's rows of one tick, in their own transaction."""
    gid = _game_id(game_id)
    t = _tick(tick)
    checked = (_checked_territory if territory else _checked_activity)(gid, t, rows)
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        _journal_tick(conn, gid, t)
        if not territory:
            return _write_activity(conn, gid, t, checked)
        head = queries("pg").hex.hex_latest_head_tick(conn, game_id=gid)
        return _write_territory(conn, gid, t, checked, head)


@dataclass(frozen=True)
class TickReport:
    """What :func:`write_hex_tick` wrote."""

    game_id: UUID
    tick: int
    territory_rows: int
    activity_rows: int
    refresh: RefreshReport | None
    """The refresh of ``hex_latest`` to the tick (None with ``refresh=False``)."""


def write_hex_tick(
    pool: Connector | Pool,
    game_id: UUID | str,
    tick: int,
    territory: Iterable[Mapping[str, Any]],
    activity: Iterable[Mapping[str, Any]],
    *,
    refresh: bool = True,
) -> TickReport:
    """Write one whole tick: both journals, then ``hex_latest`` moved to it.

    The same rows and rules as :func:`write_territory_snapshot` and
    :func:`write_hex_activity`, followed by :func:`refresh_hex_latest`
    (unless ``refresh=False``, as for tick 0 before :func:`seed_hex_latest`),
    all in ONE transaction under one session lock: a refused row anywhere,
    in either journal, leaves nothing of the tick written, and readers see
    the tick all at once. Refreshing needs a seeded game.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    terr = _checked_territory(gid, t, territory)
    acts = _checked_activity(gid, t, activity)
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        head = queries("pg").hex.hex_latest_head_tick(conn, game_id=gid)
        if refresh and head is None:
            raise ValidationError(
                f"hex_latest of game {gid} was never seeded, so tick {t} cannot be refreshed: "
                "write tick 0 with refresh=False and call seed_hex_latest first; "
                "nothing was written"
            )
        _journal_tick(conn, gid, t)
        n_terr = _write_territory(conn, gid, t, terr, head)
        n_act = _write_activity(conn, gid, t, acts)
        report = _refresh(conn, gid, t, head) if refresh else None
    return TickReport(gid, t, n_terr, n_act, report)


def _refuse_unmapped(conn: psycopg.Connection[Any], hexes: list[int], what: str) -> None:
    missing = [row[0] for row in queries("pg").hex.missing_hexes(conn, h3_indexes=hexes)]
    if missing:
        _refuse_hexes(missing, what)


def _refuse_hexes(missing: Sequence[int], what: str) -> None:
    shown = ", ".join(f"{h} ({h3_text(h)})" for h in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    raise ValidationError(
        f"{what} for hexes that hex_map does not know: {shown}{more}; "
        "load them with load_hex_map first; nothing was written"
    )


# --------------------------------------------------------------------------
# the cache


def seed_hex_latest(pool: Connector | Pool, game_id: UUID | str) -> int:
    """Tick-0 ETL of ``hex_latest`` for one game; re-runnable (one transaction).

    Analyzes the journals, rebuilds ``hex_base`` if it does not match
    ``hex_map`` (hex count), clears the game's carried counties and sets its
    head to tick 0: ``hex_latest`` then shows the tick-0 territory rows.
    Returns the number of hexes it shows (hexes of counties with a tick-0
    territory row).
    """
    gid = _game_id(game_id)
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        if not q.territory_tick_exists(conn, game_id=gid, tick=0):
            raise ValidationError(
                f"game {gid} has no territory_snapshot rows at tick 0; "
                "write_territory_snapshot(tick=0) before seeding"
            )
        q.analyze_hex_seed_inputs(conn)
        if q.hex_base_is_stale(conn):
            _rebuild_base(conn)
        q.delete_hex_county_latest(conn, game_id=gid)  # at tick 0 no county is carried
        q.refresh_hex_latest_phase2(conn, game_id=gid, tick=0)
        q.analyze_hex_cache(conn)
        return int(q.count_hex_latest(conn, game_id=gid))


def refresh_hex_latest(pool: Connector | Pool, game_id: UUID | str, tick: int) -> RefreshReport:
    """Bring ``hex_latest`` of a seeded game to ``tick`` (one transaction).

    Phase 1 (territory broadcast): the view reads each county's row at the
    head tick; a county not written at ``tick`` carries a pointer to its
    latest earlier row. Moving forward, only those pointers are inserted,
    moved or removed (nothing at all when every county writes every tick);
    moving back, every pointer is rebuilt. Phase 2 (activity overlay): move the head to
    ``tick``; ``hex_latest`` shows that tick's ``hex_activity`` rows, so hexes
    that went quiet show zero activity. Afterwards ``hex_latest`` equals
    :func:`reconstruct_hex_state` at ``tick``.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        return _refresh(conn, gid, t, queries("pg").hex.hex_latest_head_tick(conn, game_id=gid))


def _refresh(conn: psycopg.Connection[Any], gid: UUID, t: int, head: int | None) -> RefreshReport:
    """:func:`refresh_hex_latest` in the caller's transaction, under its session
    lock; ``head`` is the game's hex_latest head tick, read in that transaction."""
    q = queries("pg").hex
    if head is None:
        raise ValidationError(
            f"hex_latest of game {gid} was never seeded; call seed_hex_latest first"
        )
    last = q.hex_journal_head_tick(conn, game_id=gid)
    if last is None or t > last:
        raise ValidationError(
            f"ticks out of order: game {gid} is journaled up to tick {last}; "
            f"write tick {t} before refreshing hex_latest to it"
        )
    start = time.perf_counter()
    full = t < head
    if full:
        q.delete_hex_county_latest(conn, game_id=gid)
        written = q.rebuild_hex_county_latest(conn, game_id=gid, tick=t)
    elif t > head:
        written = q.refresh_hex_latest_phase1(conn, game_id=gid, since=head, tick=t)
        written += q.uncarry_hex_county_latest(conn, game_id=gid, tick=t)
    else:
        written = 0  # same tick: the county rows already hold it
    mid = time.perf_counter()
    q.refresh_hex_latest_phase2(conn, game_id=gid, tick=t)
    end = time.perf_counter()
    counts = q.hex_activity_counts(conn, game_id=gid, previous_tick=head, tick=t)
    return RefreshReport(
        game_id=gid,
        tick=t,
        previous_tick=int(head),
        counties_written=int(written),
        full_rebuild=full,
        active_hexes=int(counts[0]),
        quieted_hexes=int(counts[1]) if t != head else 0,
        phase1_ms=(mid - start) * 1000.0,
        phase2_ms=(end - mid) * 1000.0,
    )


def reconstruct_hex_state(
    pool: Connector | Pool,
    game_id: UUID | str,
    tick: int,
    *,
    county_fips: str | None = None,
    h3_indexes: Iterable[int | str] | None = None,
) -> list[dict[str, Any]]:
    """The state of the game's hexes at any past ``tick``, from the journals.

    Each county's latest ``territory_snapshot`` row at or before ``tick``,
    broadcast to its hexes through ``hex_map``, with the ``hex_activity``
    rows of exactly ``tick`` (zero activity and ``activity_tick`` None for a
    hex without one). Hexes of counties with no territory row yet are left
    out. Optionally only one county's hexes, or only ``h3_indexes`` (both:
    their intersection). Rows are dicts with :data:`HEX_STATE_FIELDS`,
    ordered by ``h3_index``. For the head tick this equals ``hex_latest``.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    county = _opt_key(county_fips, "county_fips")
    q = queries("pg").hex
    params: dict[str, Any] = {"game_id": gid, "tick": t}
    if h3_indexes is not None:
        if isinstance(h3_indexes, str | bytes):
            raise ValidationError("h3_indexes must be an iterable of ints")
        params["h3_indexes"] = [h3_int(h, "h3_indexes item") for h in h3_indexes]
        params["county_fips"] = county
        query = q.reconstruct_hex_state_hexes
    elif county is not None:
        params["county_fips"] = county
        query = q.reconstruct_hex_state_county
    else:
        query = q.reconstruct_hex_state
    db = as_connector(pool)
    with db.transaction() as conn:
        if q.game_exists(conn, game_id=gid) is None:
            raise SessionNotFoundError(f"no game_session row with session_id {gid}")
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(query.sql, params)
            return cur.fetchall()


# --------------------------------------------------------------------------
# viewports


def descendant_range(parent: int | str, resolution: int = 7) -> tuple[int, int]:
    """The smallest and largest H3 index of ``parent``'s descendants at ``resolution``.

    Every valid cell of that resolution between the two descends from
    ``parent`` (they share its resolution field, base cell and leading
    digits), so a range scan of an index on ``h3_index`` finds them.
    """
    cell = h3_int(parent, "parent")
    if not h3i.is_valid_cell(cell):
        raise ValidationError(f"parent {cell} ({h3_text(cell)}) is not an H3 cell")
    res = h3i.get_resolution(cell)
    if not res <= resolution <= 15:
        raise ValidationError(
            f"parent {h3_text(cell)} has resolution {res}; "
            f"its descendants at resolution {resolution} do not exist"
        )
    low = int(h3i.cell_to_center_child(cell, resolution))
    high = low
    for digit in range(res + 1, resolution + 1):
        high |= 6 << (45 - 3 * digit)
    return low, high


def _bbox(bbox: Any) -> dict[str, float]:
    if isinstance(bbox, str | bytes) or not isinstance(bbox, Sequence) or len(bbox) != 4:
        raise ValidationError("bbox must be (min_lng, min_lat, max_lng, max_lat) in degrees")
    min_lng, min_lat, max_lng, max_lat = (_float(v, "bbox") for v in bbox)
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(
            "bbox must be (min_lng, min_lat, max_lng, max_lat) with min <= max, "
            f"longitudes within ±180 and latitudes within ±90; got {tuple(bbox)!r}"
        )
    return {"min_lng": min_lng, "min_lat": min_lat, "max_lng": max_lng, "max_lat": max_lat}


def _postgis(conn: psycopg.Connection[Any], call: Any) -> Any:
    """Run ``call()`` (it needs hex_cell) under a savepoint; a server without
    PostGIS raises :class:`MissingExtensionError` instead of a driver error."""
    try:
        with conn.transaction():
            return call()
    except (
        psycopg.errors.UndefinedTable,
        psycopg.errors.UndefinedFunction,
        psycopg.errors.UndefinedObject,
    ) as exc:
        raise MissingExtensionError(("postgis",), ("hex_cell",)) from exc


def read_hex_latest(
    pool: Connector | Pool,
    game_id: UUID | str,
    *,
    county_fips: str | None = None,
    parent: int | str | None = None,
    resolution: int = 7,
    bbox: Sequence[float] | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``hex_latest`` of one game, ordered by ``h3_index``: a viewport.

    Exactly one of ``county_fips`` (one county), ``parent`` (the descendants
    at ``resolution`` of an H3 cell, int or 15 hex digits) or ``bbox``
    (``(min_lng, min_lat, max_lng, max_lat)``: hexes whose ``hex_cell``
    boundary meets the box; needs PostGIS) may be given; none reads the
    whole game (prefer :func:`babylon_sql.hex.arrow.view_arrow` for that).
    """
    gid = _game_id(game_id)
    chosen = [x is not None for x in (county_fips, parent, bbox)]
    if sum(chosen) > 1:
        raise ValidationError("give at most one of county_fips, parent and bbox")
    q = queries("pg").hex
    db = as_connector(pool)
    with db.connection() as conn, conn.transaction():
        if q.game_exists(conn, game_id=gid) is None:
            raise SessionNotFoundError(f"no game_session row with session_id {gid}")
        with conn.cursor(row_factory=dict_row) as cur:
            if county_fips is not None:
                county = _key(county_fips, "county_fips")
                cur.execute(q.hex_latest_county.sql, {"game_id": gid, "county_fips": county})
            elif parent is not None:
                low, high = descendant_range(parent, resolution)
                cur.execute(q.hex_latest_cells.sql, {"game_id": gid, "low": low, "high": high})
            elif bbox is not None:
                params = {"game_id": gid, **_bbox(bbox)}
                _postgis(conn, lambda: cur.execute(q.hex_latest_bbox.sql, params))
            else:
                cur.execute(q.hex_latest_game.sql, {"game_id": gid})
            return cur.fetchall()


# --------------------------------------------------------------------------
# hex_cell geometry (PostGIS)


def _ewkb_polygon(ring: Sequence[tuple[float, float]]) -> bytes:
    """EWKB (little-endian, SRID 4326) of a closed polygon from (lat, lng) vertices."""
    pts = [*ring, ring[0]]
    coords = np.array([(lng, lat) for lat, lng in pts], dtype="<f8")
    head = np.array([3 | 0x20000000, 4326, 1, len(pts)], dtype="<u4").tobytes()
    return b"\x01" + head + coords.tobytes()


def _ewkb_point(lat: float, lng: float) -> bytes:
    return (
        b"\x01"
        + np.array([1 | 0x20000000, 4326], dtype="<u4").tobytes()
        + (np.array([lng, lat], dtype="<f8").tobytes())
    )


def load_hex_cells(pool: Connector | Pool, h3_indexes: Iterable[int | str]) -> int:
    """Fill ``hex_cell`` with the real H3 boundary (polygon) and centroid of each cell.

    Geometries come from the ``h3`` package (WGS 84, lng/lat order), sent as
    EWKB through binary COPY into a staging table; cells already present are
    kept (an H3 cell's boundary never changes). Needs PostGIS: without it
    :class:`MissingExtensionError`. Invalid cells raise
    :class:`ValidationError` naming the position, nothing written. Returns
    the number of cells given (duplicates counted once).
    """
    if isinstance(h3_indexes, str | bytes):
        raise ValidationError("h3_indexes must be an iterable of H3 indexes, not one string")
    cells = sorted({h3_int(h, "h3_indexes item") for h in h3_indexes})
    _refuse_cells("h3_indexes item", cells, invalid_cells(cells))
    records = [
        (
            cell,
            h3i.get_resolution(cell),
            _ewkb_polygon(h3i.cell_to_boundary(cell)),
            _ewkb_point(*h3i.cell_to_latlng(cell)),
        )
        for cell in cells
    ]
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:

        def load() -> None:
            q.create_hex_cell_stage(conn)
            _copy(conn, q.copy_hex_cell_stage, records)
            q.insert_hex_cell_from_stage(conn)
            q.analyze_hex_cell(conn)

        _postgis(conn, load)
    return len(cells)


def hex_cells_in_bbox(pool: Connector | Pool, bbox: Sequence[float]) -> list[int]:
    """H3 cells of ``hex_cell`` whose boundary meets ``(min_lng, min_lat, max_lng, max_lat)``."""
    params = _bbox(bbox)
    db = as_connector(pool)
    with db.connection() as conn, conn.transaction():
        rows = _postgis(conn, lambda: list(queries("pg").hex.hex_cells_in_bbox(conn, **params)))
    return [int(r[0]) for r in rows]


def hex_cells_within_radius(
    pool: Connector | Pool, lat: float, lng: float, meters: float
) -> list[int]:
    """H3 cells of ``hex_cell`` whose centroid lies within ``meters`` of a point, nearest first."""
    la, lo, m = _float(lat, "lat"), _float(lng, "lng"), _float(meters, "meters")
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or m < 0:
        raise ValidationError(
            f"need -90 <= lat <= 90, -180 <= lng <= 180 and meters >= 0; got {lat}, {lng}, {meters}"
        )
    db = as_connector(pool)
    with db.connection() as conn, conn.transaction():
        rows = _postgis(
            conn,
            lambda: list(queries("pg").hex.hex_cells_within_radius(conn, lng=lo, lat=la, meters=m)),
        )
    return [int(r[0]) for r in rows]


# --------------------------------------------------------------------------
# the original API's hex methods (PostgresRuntime binds them)

#: Keys of a persist_hex_state row besides h3_index, with their defaults.
HEX_STATE_KEYS: dict[str, Any] = {
    "constant_capital": 0,
    "variable_capital": 0,
    "surplus_value": 0,
    "employment": 0.0,
    "dept_shares": (0.0, 0.0, 0.0, 0.0),
    "profit_rate": 0.0,
    "exploitation_rate": 0.0,
}
_HEX_CELL_KEYS = ("h3_index", "county_fips", "res6_parent", "res5_parent", "geometry_wkt",
                  "centroid_wkt")  # fmt: skip
_WKT = {
    "geometry_wkt": re.compile(r"\s*POLYGON\s*\(\(.*\)\)\s*", re.IGNORECASE | re.DOTALL),
    "centroid_wkt": re.compile(r"\s*POINT\s*\(.*\)\s*", re.IGNORECASE | re.DOTALL),
}


def _capital(value: Any, what: str) -> Any:
    """A NUMERIC amount: int, finite float or Decimal (kept exact)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{what} must be finite, got {value!r}")
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return check_int(value, what)
    return _float(value, what)


def persist_hex_state(
    pool: Connector | Pool, session_id: UUID | str, tick: int, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Per-hex economics of a tick (the original ``persist_hex_state``), into ``hex_state``.

    Row keys: ``h3_index`` (required; int or 15 hex digits, a hex of
    ``hex_map``), ``constant_capital``, ``variable_capital``,
    ``surplus_value`` (numbers, kept as NUMERIC), ``employment``,
    ``profit_rate``, ``exploitation_rate`` (finite numbers), ``dept_shares``
    (4 finite numbers); defaults 0. A hex written again at the same tick is
    replaced. An empty list writes nothing. Batches of 1,000 in one
    transaction; a bad row raises :class:`ValidationError` naming it and
    nothing is written.
    """
    sid = check_session_id(session_id)
    t = _tick(tick)
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Sequence):
        raise ValidationError("hex_states must be a list of mappings")
    checked = []
    for i, row in enumerate(rows):
        what = f"hex state {i}"
        row = check_mapping(row, what)
        unknown = row.keys() - HEX_STATE_KEYS.keys() - {"h3_index"}
        if unknown:
            raise ValidationError(
                f"{what} has unknown key(s) {sorted(map(str, unknown))}; known: h3_index, "
                f"{', '.join(HEX_STATE_KEYS)}"
            )
        if "h3_index" not in row:
            raise ValidationError(f"{what} needs h3_index")
        get = row.get
        shares = get("dept_shares", HEX_STATE_KEYS["dept_shares"])
        if isinstance(shares, str | bytes) or not isinstance(shares, Iterable):
            raise ValidationError(f"{what}: dept_shares must be a sequence of 4 numbers")
        shares = [_float(v, what, "dept_shares component") for v in shares]
        if len(shares) != 4:
            raise ValidationError(f"{what}: dept_shares must have 4 components, got {len(shares)}")
        checked.append(
            {
                "session_id": sid,
                "tick": t,
                "h3_index": h3_int(row["h3_index"], f"{what}: h3_index"),
                **{
                    k: _capital(get(k, 0), f"{what}: {k}")
                    for k in ("constant_capital", "variable_capital", "surplus_value")
                },
                **{
                    k: _float(get(k, 0.0), what, k)
                    for k in ("employment", "profit_rate", "exploitation_rate")
                },
                "dept_shares": shares,
            }
        )
    if not checked:
        return
    _unique((r["h3_index"] for r in checked), "hex state h3_index")
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, sid)
        _refuse_unmapped(conn, [r["h3_index"] for r in checked], "hex states")
        run_batched(queries("pg").hex.upsert_hex_state, conn, checked)


def get_hex_state_for_tick(
    pool: Connector | Pool, session_id: UUID | str, tick: int, *, county_fips: str | None = None
) -> list[dict[str, Any]]:
    """The ``hex_state`` rows of a tick (only one county's hexes with ``county_fips``).

    Keys as the original: ``session_id``, ``tick``, ``h3_index`` (15 hex
    digits), ``constant_capital``, ``variable_capital``, ``surplus_value``
    (Decimal), ``employment`` (float), ``dept_shares`` (4 floats),
    ``profit_rate``, ``exploitation_rate``. Ordered by hex. ``[]`` when none.
    """
    sid = check_session_id(session_id)
    t = _tick(tick)
    county = _opt_key(county_fips, "county_fips")
    db = as_connector(pool)
    with db.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            queries("pg").hex.select_hex_state_tick.sql,
            {"session_id": sid, "tick": t, "county_fips": county},
        )
        return cur.fetchall()


def get_hex_time_series(
    pool: Connector | Pool,
    session_id: UUID | str,
    h3_index: int | str,
    *,
    tick_start: int = 0,
    tick_end: int | None = None,
) -> list[dict[str, Any]]:
    """One hex's ``hex_state`` rows with ``tick_start <= tick <= tick_end`` (inclusive;
    ``None``: no end), by tick; keys as :func:`get_hex_state_for_tick`."""
    sid = check_session_id(session_id)
    params = {
        "session_id": sid,
        "h3_index": h3_int(h3_index),
        "tick_start": _tick(tick_start, "tick_start"),
        "tick_end": None if tick_end is None else _tick(tick_end, "tick_end"),
    }
    db = as_connector(pool)
    with db.connection() as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute(queries("pg").hex.select_hex_state_series.sql, params)
        return cur.fetchall()


def populate_hex_cells(pool: Connector | Pool, hex_cells: Sequence[Mapping[str, Any]]) -> int:
    """The original ``populate_hex_cells``: geometries and county of R7 cells.

    Keys (all required): ``h3_index`` (an R7 cell, int or 15 hex digits),
    ``county_fips``, ``res6_parent``, ``res5_parent`` (checked against H3),
    ``geometry_wkt`` (WKT polygon, WGS 84), ``centroid_wkt`` (WKT point).
    Cells already in ``hex_cell`` are kept; hexes not yet in ``hex_map`` are
    mapped to their county (existing mappings are kept, as the original's
    ON CONFLICT DO NOTHING). Batches of 1,000 in one transaction. Needs
    PostGIS. Returns ``len(hex_cells)`` (the original's result).
    """
    if isinstance(hex_cells, str | bytes | Mapping) or not isinstance(hex_cells, Sequence):
        raise ValidationError("hex_cells must be a list of mappings")
    checked = []
    for i, row in enumerate(hex_cells):
        what = f"hex cell {i}"
        row = check_mapping(row, what)
        missing = [k for k in _HEX_CELL_KEYS if k not in row]
        unknown = row.keys() - set(_HEX_CELL_KEYS)
        if missing or unknown:
            raise ValidationError(
                f"{what}: keys must be exactly {', '.join(_HEX_CELL_KEYS)} "
                f"(missing {missing}, unknown {sorted(map(str, unknown))})"
            )
        cell = h3_int(row["h3_index"], f"{what}: h3_index")
        for key in ("geometry_wkt", "centroid_wkt"):
            text = _text(row[key], what, key)
            if not _WKT[key].fullmatch(text):
                kind = "POLYGON" if key == "geometry_wkt" else "POINT"
                raise ValidationError(f"{what}: {key} must be WKT {kind}(...), got {text!r}")
        checked.append(
            {
                "h3_index": cell,
                "county_fips": _key(row["county_fips"], what, "county_fips"),
                "res6_parent": h3_int(row["res6_parent"], f"{what}: res6_parent"),
                "res5_parent": h3_int(row["res5_parent"], f"{what}: res5_parent"),
                "resolution": 7,
                "geometry_wkt": row["geometry_wkt"],
                "centroid_wkt": row["centroid_wkt"],
            }
        )
    if not checked:
        return 0
    cells = [r["h3_index"] for r in checked]
    _refuse_cells("hex cell", cells, invalid_cells(cells, 7), 7)
    for i, r in enumerate(checked):
        for res in (6, 5):
            real = h3i.cell_to_parent(r["h3_index"], res)
            if r[f"res{res}_parent"] != real:
                raise ValidationError(
                    f"hex cell {i}: res{res}_parent {h3_text(r[f'res{res}_parent'])} is not the "
                    f"resolution-{res} parent of {h3_text(r['h3_index'])} ({h3_text(real)})"
                )
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        try:
            with conn.transaction():
                run_batched(q.insert_hex_cell_wkt, conn, checked)
        except (
            psycopg.errors.UndefinedTable,
            psycopg.errors.UndefinedFunction,
            psycopg.errors.UndefinedObject,
        ) as exc:
            raise MissingExtensionError(("postgis",), ("hex_cell",)) from exc
        except psycopg.errors.DatabaseError as exc:
            raise ValidationError(
                f"hex_cells: PostGIS refused a geometry ({exc.diag.message_primary}); "
                "nothing was written"
            ) from exc
        first: dict[int, str] = {}
        for r in checked:
            first.setdefault(r["h3_index"], r["county_fips"])
        new = set(cells) - {int(m[0]) for m in q.mapped_hexes(conn, h3_indexes=sorted(first))}
        if new:
            _load_hex_map(conn, [(h, first[h], 7) for h in sorted(new)])
    return len(hex_cells)
