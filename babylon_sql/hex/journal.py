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

Design chosen for ``hex_latest`` (measured by ``scripts/bench_hex.py``): a
per-hex table rewritten by ``UPDATE ... FROM`` every tick writes 243K rows
(and their WAL) per tick, which cannot approach the design's 20 ms phase-1
budget. Here ``hex_latest`` is a view over

* ``hex_base`` - shared by all games, one row per hex: its county and its
  substrate aggregated per R7 parent (rebuilt by the static loaders);
* ``hex_county_latest`` - per game, one row per county: its economics as of
  the head tick. Phase 1 upserts only the ~3,100 county rows (HOT updates,
  counties whose values did not change are skipped);
* ``hex_latest_head`` - per game, the tick shown. Phase 2 moves it;
* ``hex_activity`` at the head tick, joined at read time, so hexes that went
  quiet lose their activity without any write.

At CONUS scale (243K hexes, 3,100 counties, 5K active hexes per tick) on a
loaded 2-core machine (``scripts/bench_hex.py``, medians over 6 ticks):

==========================  ===============  =================================
step                        this design      per-hex UPDATE design (baseline)
==========================  ===============  =================================
phase 1, PG 15 / PG 18      19 ms / 45 ms    0.9 s / 3.8 s
phase 2, PG 15 / PG 18      0.3 ms / 0.6 ms  0.27 s / 0.73 s (overlay + clear)
seed, PG 15                 0.5 s            3.7 s (4.3 s with the substrate
                                             aggregation, which the loaders do)
whole game read, server     80 to 100 ms     47 to 300 ms (grows with bloat)
one-county viewport, server 0.2 to 1.2 ms    0.04 to 0.1 ms
==========================  ===============  =================================

The viewport pays for reading the head tick's 5K activity rows (the view
fences them so that no read ever scans older ticks); the client's fetch
dominates every big read either way.

Invariant, tested: after :func:`seed_hex_latest` and after every
:func:`refresh_hex_latest`, ``hex_latest`` equals
``reconstruct_hex_state(game_id, head tick)``. Journal writes for ticks at or
before the head keep it (activity is joined live; a territory rewrite at or
before the head rebuilds the county rows in the same transaction), and so do
the static loaders (they rebuild ``hex_base``).

Every function takes a pool, runs one transaction, and leaves nothing half
written when it raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from babylon_sql.catalogue import copy_types, queries
from babylon_sql.errors import SessionNotFoundError, ValidationError
from babylon_sql.input import codec
from babylon_sql.input.fields import (
    INT32_MAX,
    check_float,
    check_h3,
    check_int,
    check_key,
    check_mapping,
    check_opt_float,
    check_opt_int,
    check_opt_key,
    check_opt_text,
    check_session_id,
    check_tick,
    check_unique,
)
from babylon_sql.server.connector import Connector, Pool, as_connector

_INT_MAX = INT32_MAX

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
    """County rows phase 1 inserted or changed (unchanged counties are skipped)."""
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


_EMPTY_JSONB = codec.jsonb_param({}, what="{}")


def _jsonb(value: Any, what: str) -> Jsonb:
    """A JSON object column: a mapping (``None``: empty) through the codec."""
    if value is None or (type(value) is dict and not value):
        return _EMPTY_JSONB
    return codec.jsonb_param(dict(check_mapping(value, what)), what=what)


def _mapping(row: Any, fields: Sequence[str], what: str) -> Mapping[str, Any]:
    if not isinstance(row, Mapping):
        raise ValidationError(f"{what} must be a mapping, got {type(row).__name__}")
    unknown = row.keys() - _FIELDSETS[fields]
    if unknown:
        raise ValidationError(
            f"{what} has unknown field(s) {sorted(map(str, unknown))}; known: {', '.join(fields)}"
        )
    return row


def _territory_row(game_id: UUID, tick: int, row: Any, i: int) -> tuple[Any, ...]:
    """One territory row as a tuple in ``copy_territory_snapshot`` column order."""
    what = f"territory row {i}"
    r = _mapping(row, TERRITORY_FIELDS, what)
    if "county_fips" not in r or "value_tensor" not in r:
        raise ValidationError(f"{what} needs county_fips and value_tensor")
    county = check_key(r["county_fips"], _name(what, "county_fips"))
    where = f"{what} ({county})"
    tensor = r["value_tensor"]
    if isinstance(tensor, str | bytes) or not isinstance(tensor, Iterable):
        raise ValidationError(f"{where}: value_tensor must be a sequence of 12 numbers")
    values = [check_float(v, _name(where, "value_tensor component")) for v in tensor]
    if len(values) != 12:
        raise ValidationError(
            f"{where}: value_tensor must have 12 components (4x3), got {len(values)}"
        )
    get = r.get
    return (
        game_id,
        tick,
        county,
        values,
        check_opt_float(get("profit_rate"), _name(where, "profit_rate")),
        check_opt_float(get("exploitation_rate"), _name(where, "exploitation_rate")),
        check_opt_float(get("occ"), _name(where, "occ")),
        check_opt_float(get("imperial_rent"), _name(where, "imperial_rent")),
        check_opt_int(get("pop_total"), _name(where, "pop_total"), low=0),
        check_opt_int(get("mobilizable_pop"), _name(where, "mobilizable_pop"), low=0),
        check_opt_text(get("dominant_class"), _name(where, "dominant_class"), empty=False),
        _jsonb(get("class_distribution"), _name(where, "class_distribution")),
    )


def _activity_row(game_id: UUID, tick: int, row: Any, i: int) -> tuple[Any, ...]:
    """One activity row as a tuple in ``copy_hex_activity`` column order."""
    what = f"activity row {i}"
    r = _mapping(row, ACTIVITY_FIELDS, what)
    if "h3_index" not in r:
        raise ValidationError(f"{what} needs h3_index")
    h3 = check_h3(r["h3_index"], _name(what, "h3_index"))
    get = r.get
    return (
        game_id,
        tick,
        h3,
        check_float(get("heat", 0.0), _name(what, "heat")),
        check_float(get("heat_delta", 0.0), _name(what, "heat_delta")),
        check_int(get("org_count", 0), _name(what, "org_count"), low=0, high=_INT_MAX),
        check_float(get("org_presence", 0.0), _name(what, "org_presence")),
        check_int(get("actions_taken", 0), _name(what, "actions_taken"), low=0, high=_INT_MAX),
        _jsonb(get("faction_control"), _name(what, "faction_control")),
        _jsonb(get("state"), _name(what, "state")),
    )


def _hex_map_row(row: Any, i: int) -> tuple[int, str, int]:
    what = f"hex_map row {i}"
    r = _mapping(row, HEX_MAP_FIELDS, what)
    if "h3_index" not in r or "county_fips" not in r:
        raise ValidationError(f"{what} needs h3_index and county_fips")
    county = check_key(r["county_fips"], _name(what, "county_fips"))
    assert county is not None
    return (
        check_h3(r["h3_index"], _name(what, "h3_index")),
        county,
        check_int(r.get("resolution", 7), _name(what, "resolution"), low=0, high=15),
    )


def _substrate_row(
    row: Any, i: int
) -> tuple[int, int, str | None, float | None, bool | None, float | None]:
    what = f"hex_substrate row {i}"
    r = _mapping(row, SUBSTRATE_FIELDS, what)
    if "h3_index" not in r or "parent_h3_index" not in r:
        raise ValidationError(f"{what} needs h3_index and parent_h3_index")
    water = check_opt_float(r.get("water_coverage"), _name(what, "water_coverage"))
    if water is not None and not 0.0 <= water <= 1.0:
        raise ValidationError(f"{what}: water_coverage must be between 0 and 1, got {water}")
    broadband = r.get("broadband")
    if broadband is not None and not isinstance(broadband, bool):
        raise ValidationError(f"{what}: broadband must be a bool or None, got {broadband!r}")
    return (
        check_h3(r["h3_index"], _name(what, "h3_index")),
        check_h3(r["parent_h3_index"], _name(what, "parent_h3_index")),
        check_opt_text(r.get("terrain_type"), _name(what, "terrain_type"), empty=False),
        water,
        broadband,
        check_opt_float(r.get("surveillance"), _name(what, "surveillance")),
    )


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


def rebuild_hex_base(pool: Connector | Pool) -> int:
    """Rebuild ``hex_base`` from ``hex_map`` and ``hex_substrate`` (one transaction).

    The loaders call it; call it yourself after writing ``hex_map`` or
    ``hex_substrate`` any other way. Readers see the old rows until commit.
    Returns the number of hexes.
    """
    db = as_connector(pool)
    with db.transaction() as conn:
        return _rebuild_base(conn)


# --------------------------------------------------------------------------
# static loads


def load_hex_map(pool: Connector | Pool, rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk load county-to-hex rows (``h3_index``, ``county_fips``, ``resolution``=7).

    COPY, ANALYZE and :func:`rebuild_hex_base` in one transaction. A hex
    already in ``hex_map`` (or twice in ``rows``) raises
    :class:`ValidationError` and loads nothing. Returns the number of rows
    loaded.
    """
    checked = [_hex_map_row(row, i) for i, row in enumerate(rows)]
    q = queries("pg").hex
    return _load_static(pool, "hex_map", checked, q.copy_hex_map, q.analyze_hex_map)


def load_hex_substrate(pool: Connector | Pool, rows: Iterable[Mapping[str, Any]]) -> int:
    """Bulk load static R8 substrate rows (COPY, ANALYZE, rebuild of hex_base; one transaction).

    Each row: ``h3_index`` (R8), ``parent_h3_index`` (its R7 parent),
    ``terrain_type``, ``water_coverage`` (0 to 1), ``broadband`` (bool),
    ``surveillance``. A hex already loaded raises :class:`ValidationError` and
    loads nothing. Every game's ``hex_latest`` shows the new aggregate at once.
    """
    checked = [_substrate_row(row, i) for i, row in enumerate(rows)]
    q = queries("pg").hex
    return _load_static(
        pool, "hex_substrate", checked, q.copy_hex_substrate, q.analyze_hex_substrate
    )


def _load_static(
    pool: Connector | Pool, table: str, checked: Sequence[tuple[Any, ...]], copy: Any, analyze: Any
) -> int:
    """COPY validated static rows, ANALYZE, rebuild hex_base: one transaction."""
    check_unique((r[0] for r in checked), f"{table} h3_index")
    q = queries("pg").hex
    db = as_connector(pool)
    with db.connection() as conn:
        try:
            with conn.transaction():
                q.lock_hex_base(conn)
                _copy(conn, copy, checked)
                analyze(conn)
                _rebuild_base(conn)
        except psycopg.errors.UniqueViolation as exc:
            raise ValidationError(
                f"{table} already holds some of these hexes ({exc.diag.message_detail}); "
                "nothing was loaded"
            ) from exc
    return len(checked)


# --------------------------------------------------------------------------
# journals


def write_territory_snapshot(
    pool: Connector | Pool, game_id: UUID | str, tick: int, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Replace the county rows of one tick (idempotent; one transaction).

    Each row needs ``county_fips`` and ``value_tensor`` (12 finite numbers);
    ``profit_rate``, ``exploitation_rate``, ``occ``, ``imperial_rent``
    (finite numbers), ``pop_total``, ``mobilizable_pop`` (ints >= 0),
    ``dominant_class`` (str) and ``class_distribution`` (JSON dict) are
    optional. Rewriting a tick at or before the game's hex_latest head
    rebuilds the cached county rows in the same transaction, so hex_latest
    stays equal to the reconstruction of its head tick.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    checked = [_territory_row(gid, t, row, i) for i, row in enumerate(rows)]
    check_unique((r[2] for r in checked), "county_fips")
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        q.delete_territory_tick(conn, game_id=gid, tick=t)
        written = _copy(conn, q.copy_territory_snapshot, checked)
        head = q.hex_latest_head_tick(conn, game_id=gid)
        if head is not None and t <= head:
            q.delete_hex_county_latest(conn, game_id=gid)
            q.rebuild_hex_county_latest(conn, game_id=gid, tick=head)
    return written


def write_hex_activity(
    pool: Connector | Pool, game_id: UUID | str, tick: int, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Replace the activity rows of one tick (idempotent; one transaction).

    Each row needs ``h3_index`` (a hex of ``hex_map``); ``heat``,
    ``heat_delta``, ``org_presence`` (finite numbers), ``org_count``,
    ``actions_taken`` (ints >= 0), ``faction_control`` and ``state`` (JSON
    dicts) default to zero / empty. Only hexes with activity need a row.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    checked = [_activity_row(gid, t, row, i) for i, row in enumerate(rows)]
    check_unique((r[2] for r in checked), "h3_index")
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        if checked:
            missing = [row[0] for row in q.missing_hexes(conn, h3_indexes=[r[2] for r in checked])]
            if missing:
                shown = ", ".join(str(h) for h in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                raise ValidationError(
                    f"hex_activity for hexes that hex_map does not know: {shown}{more}; "
                    "load them with load_hex_map first"
                )
        q.delete_hex_activity_tick(conn, game_id=gid, tick=t)
        return _copy(conn, q.copy_hex_activity, checked)


# --------------------------------------------------------------------------
# the cache


def seed_hex_latest(pool: Connector | Pool, game_id: UUID | str) -> int:
    """Tick-0 ETL of ``hex_latest`` for one game; re-runnable (one transaction).

    Analyzes the journals, rebuilds ``hex_base`` if it does not match
    ``hex_map`` (hex count), replaces the game's county rows with its tick-0
    ``territory_snapshot`` rows of counties that have hexes, and sets its
    head to tick 0. Returns the number of hexes ``hex_latest`` shows for the
    game (hexes of counties with a tick-0 territory row).
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
        q.delete_hex_county_latest(conn, game_id=gid)
        q.seed_hex_latest(conn, game_id=gid)
        q.refresh_hex_latest_phase2(conn, game_id=gid, tick=0)
        q.analyze_hex_cache(conn)
        return int(q.count_hex_latest(conn, game_id=gid))


def refresh_hex_latest(pool: Connector | Pool, game_id: UUID | str, tick: int) -> RefreshReport:
    """Bring ``hex_latest`` of a seeded game to ``tick`` (one transaction).

    Phase 1 (territory broadcast): moving forward, upsert each county written
    after the previous head up to ``tick`` with its newest row (unchanged
    counties are skipped); moving back, rebuild every county from its latest
    row at or before ``tick``. Phase 2 (activity overlay): move the head to
    ``tick``; ``hex_latest`` shows that tick's ``hex_activity`` rows, so hexes
    that went quiet show zero activity. Afterwards ``hex_latest`` equals
    :func:`reconstruct_hex_state` at ``tick``.
    """
    gid = _game_id(game_id)
    t = _tick(tick)
    q = queries("pg").hex
    db = as_connector(pool)
    with db.transaction() as conn:
        db.lock_session(conn, gid)
        head = q.hex_latest_head_tick(conn, game_id=gid)
        if head is None:
            raise ValidationError(
                f"hex_latest of game {gid} was never seeded; call seed_hex_latest first"
            )
        start = time.perf_counter()
        full = t < head
        if full:
            q.delete_hex_county_latest(conn, game_id=gid)
            written = q.rebuild_hex_county_latest(conn, game_id=gid, tick=t)
        elif t > head:
            written = q.refresh_hex_latest_phase1(conn, game_id=gid, since=head, tick=t)
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
    h3_indexes: Iterable[int] | None = None,
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
    county = check_opt_key(county_fips, "county_fips")
    q = queries("pg").hex
    params: dict[str, Any] = {"game_id": gid, "tick": t}
    if h3_indexes is not None:
        if isinstance(h3_indexes, str | bytes):
            raise ValidationError("h3_indexes must be an iterable of ints")
        params["h3_indexes"] = [check_h3(h, "h3_indexes item") for h in h3_indexes]
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
