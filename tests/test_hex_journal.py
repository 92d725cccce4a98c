"""The multi-resolution hex journal on a real PostgreSQL: journals, seed,
refresh == reconstruct over ticks with hexes going quiet, composition views,
and every refused input leaving nothing written."""

from __future__ import annotations

import math
import statistics
import uuid
from collections import Counter
from pathlib import Path
from types import MappingProxyType
from typing import Any

import aiosql
import h3
import psycopg
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from babylon_sql.errors import SerializationError, SessionNotFoundError, ValidationError
from babylon_sql.hex.journal import (
    HEX_STATE_FIELDS,
    _activity_row,
    _territory_row,
    invalid_cells,
    load_counties,
    load_hex_map,
    load_hex_substrate,
    parents_of,
    rebuild_hex_base,
    reconstruct_hex_state,
    refresh_hex_latest,
    seed_hex_latest,
    write_hex_activity,
    write_hex_tick,
    write_territory_snapshot,
)

Pool = ConnectionPool[psycopg.Connection[Any]]

_SQL = Path(__file__).parent / "sql"
Q = aiosql.from_str("\n".join(p.read_text() for p in sorted(_SQL.glob("hex_*.sql"))), "psycopg")

#: Three counties, each a disk of 19 R7 cells around a centre far from the others.
COUNTIES = {"06075": (37.77, -122.42), "17031": (41.88, -87.63), "48201": (29.76, -95.37)}
TERRAINS = ("forest", "plains", "urban", "water")


def _geography() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for fips, (lat, lng) in COUNTIES.items():
        centre = h3.latlng_to_cell(lat, lng, 7)
        out[fips] = sorted(int(c, 16) for c in h3.grid_disk(centre, 2))
    return out


GEO = _geography()
ALL_HEXES = sorted(h for hexes in GEO.values() for h in hexes)


def _substrate() -> list[dict[str, Any]]:
    rows = []
    for parent in ALL_HEXES:
        children = sorted(h3.cell_to_children(format(parent, "x"), 8))
        for j, child in enumerate(children):
            rows.append(
                {
                    "h3_index": int(child, 16),
                    "parent_h3_index": parent,
                    "terrain_type": TERRAINS[(parent + j * j) % 3],
                    "water_coverage": ((parent >> 3) % 7 + j) / 20.0,
                    "broadband": (parent + j) % 3 != 0,
                    "surveillance": float(j),
                }
            )
    return rows


def _tensor(seed: float) -> list[float]:
    return [seed + i / 10.0 for i in range(12)]


def _territory(tick: int, counties: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "county_fips": fips,
            "value_tensor": _tensor(tick + k),
            "profit_rate": 0.1 + tick / 100.0 + k / 1000.0,
            "exploitation_rate": 1.0 + tick / 10.0,
            "occ": 2.0 + k,
            "imperial_rent": 0.5 * tick,
            "pop_total": 100_000 + 10 * tick + k,
            "mobilizable_pop": 1_000 + tick,
            "dominant_class": ("proletariat", "petty_bourgeoisie")[(tick + k) % 2],
            "class_distribution": {"proletariat": 0.6, "bourgeoisie": 0.1 * k},
        }
        for k, fips in enumerate(counties)
    ]


def _activity(tick: int) -> list[dict[str, Any]]:
    """A moving window of active hexes: most hexes of a tick go quiet the next."""
    active = ALL_HEXES[(tick * 7) % 40 : (tick * 7) % 40 + 12]
    return [
        {
            "h3_index": h,
            "heat": 0.0 if i % 5 == 0 else 1.0 + tick + i / 10.0,
            "heat_delta": 0.25 * i - 1.0,
            "org_count": i % 4,
            "org_presence": i / 12.0,
            "actions_taken": (i + tick) % 3,
            "faction_control": {"party": i / 12.0} if i % 2 else {},
            "state": {"note": f"t{tick}"},
        }
        for i, h in enumerate(active)
    ]


def _rows(pool: Pool, query: Any, **params: Any) -> list[dict[str, Any]]:
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query.sql, params)
        return cur.fetchall()


def _counts(pool: Pool, game_id: uuid.UUID) -> dict[str, Any]:
    return _rows(pool, Q.hex_row_counts, game_id=game_id)[0]


def _new_game(pool: Pool, name: str = "hex") -> uuid.UUID:
    with pool.connection() as conn:
        gid: uuid.UUID = Q.hex_create_game(conn, name=name)
    return gid


def _latest(pool: Pool, game_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {k: r[k] for k in HEX_STATE_FIELDS} for r in _rows(pool, Q.hex_read_latest, game_id=game_id)
    ]


@pytest.fixture
def world(pg_pool: Pool) -> Pool:
    load_hex_map(
        pg_pool,
        [{"h3_index": h, "county_fips": fips} for fips, hexes in GEO.items() for h in hexes],
    )
    load_hex_substrate(pg_pool, _substrate())
    return pg_pool


def _play(pool: Pool, gid: uuid.UUID, ticks: int) -> None:
    """Tick 0 has two counties, the third appears at tick 2, tick 3 writes one county only."""
    first_two = ["06075", "17031"]
    for t in range(ticks):
        counties = first_two if t < 2 else list(COUNTIES)
        if t == 3:
            counties = ["17031"]
        write_territory_snapshot(pool, gid, t, _territory(t, counties))
        write_hex_activity(pool, gid, t, _activity(t))


@pytest.mark.as_writer
def test_refresh_equals_reconstruct_at_every_tick(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 6)
    seeded = seed_hex_latest(world, gid)
    assert seeded == 2 * 19
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 0)
    history: dict[int, list[dict[str, Any]]] = {0: _latest(world, gid)}
    quiet_seen = 0
    for t in range(1, 6):
        report = refresh_hex_latest(world, gid, t)
        assert report.tick == t
        assert report.previous_tick == t - 1
        assert not report.full_rebuild
        assert report.active_hexes == len(_activity(t))
        previous = {r["h3_index"] for r in _activity(t - 1)}
        now = {r["h3_index"] for r in _activity(t)}
        assert report.quieted_hexes == len(previous - now)
        quiet_seen += report.quieted_hexes
        latest = _latest(world, gid)
        assert latest == reconstruct_hex_state(world, gid, t)
        history[t] = latest
        by_hex = {r["h3_index"]: r for r in latest}
        for h in previous - now:  # went quiet: no activity left over
            row = by_hex[h]
            assert row["heat"] == 0
            assert row["org_count"] == 0
            assert row["actions_taken"] == 0
            assert row["faction_control"] == {}
            assert row["activity_tick"] is None
        for a in _activity(t):
            row = by_hex[a["h3_index"]]
            assert row["heat"] == a["heat"]
            assert row["activity_tick"] == t
    assert quiet_seen > 0
    # the third county appears at tick 2; tick 3 only rewrote 17031 (others carried over)
    assert len(history[1]) == 38
    assert len(history[2]) == 57
    t3 = {r["county_fips"]: r for r in history[3]}
    assert t3["06075"]["profit_rate"] == _territory(2, list(COUNTIES))[0]["profit_rate"]
    assert t3["17031"]["profit_rate"] == _territory(3, ["17031"])[0]["profit_rate"]
    # history stays reconstructible after the cache moved on
    for t, rows in history.items():
        assert reconstruct_hex_state(world, gid, t) == rows
    # going back in time rebuilds, same tick is a no-op for phase 1
    back = refresh_hex_latest(world, gid, 2)
    assert back.full_rebuild
    assert _latest(world, gid) == history[2]
    same = refresh_hex_latest(world, gid, 2)
    assert same.counties_written == 0
    assert same.quieted_hexes == 0
    assert _latest(world, gid) == history[2]
    forward = refresh_hex_latest(world, gid, 5)
    assert not forward.full_rebuild
    assert _latest(world, gid) == history[5]


def test_unchanged_counties_are_not_rewritten(world: Pool) -> None:
    gid = _new_game(world)
    rows = _territory(0, list(COUNTIES))
    write_territory_snapshot(world, gid, 0, rows)
    seed_hex_latest(world, gid)
    write_territory_snapshot(world, gid, 1, rows)
    changed = [dict(rows[0], profit_rate=0.99), *rows[1:]]
    write_territory_snapshot(world, gid, 2, changed)
    assert refresh_hex_latest(world, gid, 1).counties_written == 0
    assert refresh_hex_latest(world, gid, 2).counties_written == 0  # all written at tick 2
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 2)


@pytest.mark.as_writer
def test_seed_is_rerunnable_and_aggregates_the_substrate(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 4)
    assert seed_hex_latest(world, gid) == 38
    seeded = _counts(world, gid)
    refresh_hex_latest(world, gid, 3)
    assert seed_hex_latest(world, gid) == 38
    assert _counts(world, gid) == seeded
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 0)
    aid = {r["h3_index"]: r for r in _rows(world, Q.hex_read_v_hex_aid, game_id=gid)}
    by_parent: dict[int, list[dict[str, Any]]] = {}
    for row in _substrate():
        by_parent.setdefault(row["parent_h3_index"], []).append(row)
    for fips in ("06075", "17031"):
        for h in GEO[fips]:
            kids = by_parent[h]
            counts = Counter(k["terrain_type"] for k in kids)
            top = max(counts.values())
            assert aid[h]["terrain_type"] == min(t for t, n in counts.items() if n == top)
            assert math.isclose(
                aid[h]["water_coverage"], statistics.fmean(k["water_coverage"] for k in kids)
            )
            assert aid[h]["internet_access"] is any(k["broadband"] for k in kids)
            assert math.isclose(
                aid[h]["broadband_share"], statistics.fmean(k["broadband"] for k in kids)
            )
    assert set(aid) == set(GEO["06075"]) | set(GEO["17031"])


def test_two_games_do_not_share_cache_rows(world: Pool) -> None:
    a, b = _new_game(world, "a"), _new_game(world, "b")
    _play(world, a, 3)
    write_territory_snapshot(world, b, 0, _territory(7, list(COUNTIES)))
    seed_hex_latest(world, a)
    seed_hex_latest(world, b)
    refresh_hex_latest(world, a, 2)
    assert _latest(world, a) == reconstruct_hex_state(world, a, 2)
    assert _latest(world, b) == reconstruct_hex_state(world, b, 0)
    assert len(_latest(world, b)) == 57


@pytest.mark.as_writer
def test_composition_views_project_hex_latest(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 3)
    seed_hex_latest(world, gid)
    refresh_hex_latest(world, gid, 2)
    full = _rows(world, Q.hex_read_latest, game_id=gid)
    views = {
        "hex_read_v_hex_economic": (
            "game_id h3_index tick profit_rate exploitation_rate occ imperial_rent pop_total heat"
        ),
        "hex_read_v_hex_mobilize": (
            "game_id h3_index tick mobilizable_pop org_presence dominant_class"
        ),
        "hex_read_v_hex_aid": (
            "game_id h3_index tick internet_access terrain_type water_coverage broadband_share"
        ),
        "hex_read_v_hex_intel": (
            "game_id h3_index tick faction_control dominant_class org_count actions_taken"
        ),
    }
    for name, cols in views.items():
        got = _rows(world, getattr(Q, name), game_id=gid)
        assert [{c: r[c] for c in cols.split()} for r in got] == [
            {c: r[c] for c in cols.split()} for r in full
        ], name
    mobilize = _rows(world, Q.hex_read_v_hex_mobilize, game_id=gid)
    assert [r["hex_heat"] for r in mobilize] == [r["heat"] for r in full]
    heat = _rows(world, Q.hex_read_v_hex_heat, game_id=gid)
    heat_cols = ("game_id", "h3_index", "tick", "heat", "heat_delta", "org_count")
    assert heat == [{c: r[c] for c in heat_cols} for r in full if r["heat"] > 0]
    assert heat
    assert all(r["heat"] > 0 for r in heat)
    assert len(heat) < len(_activity(2))  # rows with heat 0 are filtered out


def test_viewport_reads(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 3)
    seed_hex_latest(world, gid)
    refresh_hex_latest(world, gid, 2)
    everything = reconstruct_hex_state(world, gid, 2)
    county = reconstruct_hex_state(world, gid, 2, county_fips="17031")
    assert county == [r for r in everything if r["county_fips"] == "17031"]
    viewport = _rows(world, Q.hex_read_latest_county, game_id=gid, county_fips="17031")
    assert [{k: r[k] for k in HEX_STATE_FIELDS} for r in viewport] == county
    pick = [ALL_HEXES[3], ALL_HEXES[30], ALL_HEXES[50], ALL_HEXES[3]]
    some = reconstruct_hex_state(world, gid, 2, h3_indexes=pick)
    assert some == [r for r in everything if r["h3_index"] in pick]
    for fips, hexes in GEO.items():
        both = reconstruct_hex_state(world, gid, 2, h3_indexes=pick, county_fips=fips)
        assert both == [r for r in some if r["h3_index"] in hexes]
    # a county without territory yet, or an unknown hex: no rows
    assert reconstruct_hex_state(world, gid, 1, county_fips="48201") == []
    assert reconstruct_hex_state(world, gid, 2, h3_indexes=[1234]) == []


def test_rewrites_at_or_before_the_head_keep_the_cache_exact(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 4)
    seed_hex_latest(world, gid)
    refresh_hex_latest(world, gid, 3)
    # rewrite an old territory tick: 06075 changes at tick 2, which tick 3 carries over
    write_territory_snapshot(world, gid, 2, _territory(9, list(COUNTIES)))
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 3)
    # rewrite the head tick's activity: everything quiet now
    write_hex_activity(world, gid, 3, [])
    latest = _latest(world, gid)
    assert latest == reconstruct_hex_state(world, gid, 3)
    assert all(r["heat"] == 0 and r["activity_tick"] is None for r in latest)
    # idempotent rewrite of a tick
    write_hex_activity(world, gid, 1, _activity(1))
    write_hex_activity(world, gid, 1, _activity(1))
    assert _counts(world, gid)["hex_activity"] == sum(len(_activity(t)) for t in (0, 1, 2))


# ---------------------------------------------------------------------------
# refused input: a typed error and nothing written


def _good_territory() -> list[dict[str, Any]]:
    return _territory(0, list(COUNTIES))


BAD_TERRITORY = [
    ("tensor with 11 components", {"value_tensor": _tensor(0)[:11]}, ValidationError),
    ("tensor with NaN", {"value_tensor": [*_tensor(0)[:11], math.nan]}, ValidationError),
    ("tensor with inf", {"value_tensor": [math.inf, *_tensor(0)[:11]]}, ValidationError),
    (
        "tensor with inf and -inf",
        {"value_tensor": [math.inf, -math.inf, *_tensor(0)[:10]]},
        ValidationError,
    ),
    ("tensor with a bool", {"value_tensor": [True, *_tensor(0)[:11]]}, ValidationError),
    ("tensor as a string", {"value_tensor": "123456789012"}, ValidationError),
    ("tensor with a str", {"value_tensor": ["1", *_tensor(0)[:11]]}, ValidationError),
    ("profit rate NaN", {"profit_rate": math.nan}, ValidationError),
    ("negative population", {"pop_total": -1}, ValidationError),
    ("float population", {"pop_total": 1.5}, ValidationError),
    ("unknown field", {"wealth": 3}, ValidationError),
    ("empty county", {"county_fips": ""}, ValidationError),
    ("NaN in class_distribution", {"class_distribution": {"a": math.nan}}, SerializationError),
    ("object in class_distribution", {"class_distribution": {"a": object()}}, SerializationError),
    ("int key in class_distribution", {"class_distribution": {1: "one"}}, SerializationError),
    ("list as class_distribution", {"class_distribution": [1]}, ValidationError),
]


@pytest.mark.parametrize(
    ("case", "change", "error"), BAD_TERRITORY, ids=[c for c, *_ in BAD_TERRITORY]
)
def test_bad_territory_rows_write_nothing(
    world: Pool, case: str, change: dict[str, Any], error: type[Exception]
) -> None:
    gid = _new_game(world)
    write_territory_snapshot(world, gid, 0, _good_territory())
    before = _counts(world, gid)
    rows = _good_territory()
    rows[-1] = {**rows[-1], **change}
    with pytest.raises(error):
        write_territory_snapshot(world, gid, 0, rows)
    with pytest.raises(error):
        write_territory_snapshot(world, gid, 1, rows)
    assert _counts(world, gid) == before
    assert reconstruct_hex_state(world, gid, 0) == reconstruct_hex_state(world, gid, 0)


def test_duplicate_and_missing_keys_are_refused(world: Pool) -> None:
    gid = _new_game(world)
    rows = _good_territory()
    with pytest.raises(ValidationError, match="twice"):
        write_territory_snapshot(world, gid, 0, [*rows, rows[0]])
    with pytest.raises(ValidationError, match="value_tensor"):
        write_territory_snapshot(world, gid, 0, [{"county_fips": "06075"}])
    with pytest.raises(ValidationError, match="mapping"):
        write_territory_snapshot(world, gid, 0, [("06075", _tensor(0))])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="twice"):
        write_hex_activity(world, gid, 0, [*_activity(0), _activity(0)[0]])
    assert _counts(world, gid)["territory_snapshot"] == 0
    assert _counts(world, gid)["hex_activity"] == 0


@pytest.mark.parametrize("tick", [True, -1, 1.0, "3", None, 2**31])
def test_bad_ticks_are_refused(world: Pool, tick: Any) -> None:
    gid = _new_game(world)
    write_territory_snapshot(world, gid, 0, _good_territory())
    seed_hex_latest(world, gid)
    before = _counts(world, gid)
    with pytest.raises(ValidationError, match="tick"):
        write_territory_snapshot(world, gid, tick, _good_territory())
    with pytest.raises(ValidationError, match="tick"):
        write_hex_activity(world, gid, tick, _activity(0))
    with pytest.raises(ValidationError, match="tick"):
        refresh_hex_latest(world, gid, tick)
    with pytest.raises(ValidationError, match="tick"):
        reconstruct_hex_state(world, gid, tick)
    assert _counts(world, gid) == before


def test_unknown_game_is_refused(world: Pool) -> None:
    ghost = uuid.uuid4()
    with pytest.raises(SessionNotFoundError):
        write_territory_snapshot(world, ghost, 0, _good_territory())
    with pytest.raises(SessionNotFoundError):
        write_hex_activity(world, ghost, 0, _activity(0))
    with pytest.raises(SessionNotFoundError):
        seed_hex_latest(world, ghost)
    with pytest.raises(SessionNotFoundError):
        refresh_hex_latest(world, ghost, 1)
    with pytest.raises(SessionNotFoundError):
        reconstruct_hex_state(world, str(ghost), 0)
    with pytest.raises(ValidationError, match="UUID"):
        write_territory_snapshot(world, "not-a-uuid", 0, _good_territory())
    assert _counts(world, ghost) == {**_counts(world, ghost), "territory_snapshot": 0}
    assert _counts(world, ghost)["hex_activity"] == 0


def test_activity_for_an_unmapped_hex_writes_nothing(world: Pool) -> None:
    gid = _new_game(world)
    write_hex_activity(world, gid, 0, _activity(0))
    before = _counts(world, gid)
    rows = [*_activity(0), {"h3_index": 42, "heat": 1.0}]
    with pytest.raises(ValidationError, match="42"):
        write_hex_activity(world, gid, 0, rows)
    assert _counts(world, gid) == before
    bad_rows: list[dict[str, Any]] = [
        {"h3_index": ALL_HEXES[0], "heat": math.inf},
        {"h3_index": ALL_HEXES[0], "org_count": -1},
        {"h3_index": ALL_HEXES[0], "org_count": True},
        {"h3_index": ALL_HEXES[0], "faction_control": {"a": math.nan}},
        {"h3_index": ALL_HEXES[0], "colour": "red"},
        {"heat": 1.0},
    ]
    for bad in bad_rows:
        with pytest.raises((ValidationError, SerializationError)):
            write_hex_activity(world, gid, 0, [*_activity(0)[1:], bad])
    assert _counts(world, gid) == before


def test_seed_and_refresh_preconditions(world: Pool) -> None:
    gid = _new_game(world)
    with pytest.raises(ValidationError, match="tick 0"):
        seed_hex_latest(world, gid)
    with pytest.raises(ValidationError, match="out of order"):
        write_territory_snapshot(world, gid, 1, _good_territory())
    write_hex_activity(world, gid, 0, _activity(0))
    with pytest.raises(ValidationError, match="tick 0"):
        seed_hex_latest(world, gid)
    write_territory_snapshot(world, gid, 1, _good_territory())
    with pytest.raises(ValidationError, match="tick 0"):
        seed_hex_latest(world, gid)
    with pytest.raises(ValidationError, match="seed"):
        refresh_hex_latest(world, gid, 1)
    counts = _counts(world, gid)
    assert counts["hex_county_latest"] == counts["hex_latest_head"] == 0
    assert counts["hex_base"] == len(ALL_HEXES)


def test_static_loads_refuse_duplicates_and_bad_rows(world: Pool) -> None:
    gid = _new_game(world)
    before = _counts(world, gid)
    new_hex = int(h3.latlng_to_cell(45.0, -100.0, 7), 16)
    extra = {"h3_index": new_hex, "county_fips": "99999"}
    with pytest.raises(ValidationError, match="twice"):
        load_hex_map(world, [extra, extra])
    with pytest.raises(ValidationError, match="resolution"):
        load_hex_map(world, [{**extra, "resolution": 16}])
    child = int(h3.cell_to_center_child(format(new_hex, "x"), 8), 16)
    sub = {"h3_index": child, "parent_h3_index": new_hex}
    with pytest.raises(ValidationError, match="water_coverage"):
        load_hex_substrate(world, [{**sub, "water_coverage": 1.5}])
    with pytest.raises(ValidationError, match="broadband"):
        load_hex_substrate(world, [{**sub, "broadband": 1}])
    with pytest.raises(ValidationError, match="twice"):
        load_hex_substrate(world, [sub, sub])
    assert _counts(world, gid) == before
    assert load_hex_map(world, [extra]) == 1
    assert load_hex_substrate(world, [sub]) == 1
    assert _counts(world, gid)["hex_map"] == before["hex_map"] + 1
    # loading the same rows again changes nothing
    assert load_hex_map(world, [extra, {"h3_index": ALL_HEXES[0], "county_fips": "06075"}]) == 2
    assert load_hex_substrate(world, [sub, _substrate()[0]]) == 2
    assert _counts(world, gid)["hex_map"] == before["hex_map"] + 1
    assert _counts(world, gid)["hex_substrate"] == before["hex_substrate"] + 1


@pytest.mark.as_writer
def test_static_changes_reach_every_game_and_keep_the_invariant(world: Pool) -> None:
    gid = _new_game(world)
    _play(world, gid, 3)
    seed_hex_latest(world, gid)
    refresh_hex_latest(world, gid, 2)
    # a new hex of an existing county, loaded after the seed: shown at once
    new_hex = int(h3.latlng_to_cell(37.60, -122.60, 7), 16)
    assert new_hex not in ALL_HEXES
    load_hex_map(world, [{"h3_index": new_hex, "county_fips": "06075"}])
    latest = _latest(world, gid)
    assert new_hex in {r["h3_index"] for r in latest}
    assert latest == reconstruct_hex_state(world, gid, 2)
    # substrate for it: the aggregate appears in v_hex_aid
    kids = sorted(h3.cell_to_children(format(new_hex, "x"), 8))
    load_hex_substrate(
        world,
        [
            {"h3_index": int(k, 16), "parent_h3_index": new_hex, "terrain_type": "urban",
             "water_coverage": 0.5, "broadband": i < 2}
            for i, k in enumerate(kids)
        ],
    )  # fmt: skip
    aid = {r["h3_index"]: r for r in _rows(world, Q.hex_read_v_hex_aid, game_id=gid)}
    assert aid[new_hex]["terrain_type"] == "urban"
    assert aid[new_hex]["internet_access"] is True
    assert math.isclose(aid[new_hex]["broadband_share"], 2 / len(kids))
    # hex_map written behind the loaders' back: the seed notices and rebuilds
    other = int(h3.latlng_to_cell(41.70, -87.90, 7), 16)
    with world.connection() as conn:
        Q.hex_insert_raw_hex_map(conn, h3_index=other, county_fips="17031")
    assert other not in {r["h3_index"] for r in _latest(world, gid)}
    seed_hex_latest(world, gid)
    assert other in {r["h3_index"] for r in _latest(world, gid)}
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 0)
    assert rebuild_hex_base(world) == len(ALL_HEXES) + 2


# ---------------------------------------------------------------------------
# the four defects of issue 9, and the bad input it lists


def _cell(lat: float, lng: float, res: int = 7) -> int:
    return int(h3.latlng_to_cell(lat, lng, res), 16)


def test_h3_indexes_are_validated_and_nothing_is_written(world: Pool) -> None:
    gid = _new_game(world)
    write_territory_snapshot(world, gid, 0, _good_territory())
    write_hex_activity(world, gid, 0, _activity(0))
    before = _counts(world, gid)
    good = _cell(45.0, -100.0)
    r8 = _cell(45.0, -100.0, 8)
    bad_maps: list[tuple[Any, str]] = [
        (0, "H3 index"),
        (12345, "not an H3 cell"),
        (good + 1, "not an H3 cell"),
        (r8, "resolution 8, not 7"),
        ("zz" * 7 + "z", "H3 index"),
        (-5, "H3 index"),
        (True, "H3 index"),
        (2**64, "H3 index"),
    ]
    for value, message in bad_maps:
        rows = [{"h3_index": good, "county_fips": "06075"}, {"h3_index": value, "county_fips": "x"}]
        with pytest.raises(ValidationError, match=message) as info:
            load_hex_map(world, rows)
        assert "row 1" in str(info.value)
    # an R8 cell declared as R8 is a cell of its resolution: the check is the declared one
    with pytest.raises(ValidationError, match="resolution 7, not 8"):
        load_hex_map(world, [{"h3_index": good, "county_fips": "06075", "resolution": 8}])
    # substrate: children must be cells whose parent is the given parent
    kids = [int(k, 16) for k in h3.cell_to_children(format(ALL_HEXES[0], "x"), 8)]
    other_parent = ALL_HEXES[1]
    grandchild = int(h3.cell_to_center_child(format(kids[0], "x"), 9), 16)
    bad_subs: list[tuple[dict[str, Any], str]] = [
        ({"h3_index": kids[1], "parent_h3_index": other_parent}, "is not the parent"),
        ({"h3_index": grandchild, "parent_h3_index": ALL_HEXES[0]}, "is not the parent"),
        ({"h3_index": 0, "parent_h3_index": ALL_HEXES[0]}, "H3 index"),
        ({"h3_index": 99, "parent_h3_index": ALL_HEXES[0]}, "not an H3 cell"),
        ({"h3_index": kids[1], "parent_h3_index": "not-hex"}, "H3 index"),
    ]
    for sub, message in bad_subs:
        rows = [{"h3_index": kids[0], "parent_h3_index": ALL_HEXES[0]}, sub]
        with pytest.raises(ValidationError, match=message) as info:
            load_hex_substrate(world, rows)
        assert "row 1" in str(info.value)
    # activity for hex 0 or a hex outside hex_map
    for value in (0, good, format(good, "x")):
        with pytest.raises(ValidationError):
            write_hex_activity(world, gid, 0, [*_activity(0), {"h3_index": value, "heat": 1.0}])
    assert _counts(world, gid) == before
    # the text form is accepted wherever an int is
    assert load_hex_map(world, [{"h3_index": format(good, "x"), "county_fips": "06075"}]) == 1
    write_hex_activity(world, gid, 0, [{"h3_index": format(good, "x"), "heat": 2.0}])
    rows = reconstruct_hex_state(world, gid, 0, h3_indexes=[format(good, "x")])
    assert [(r["h3_index"], r["heat"]) for r in rows] == [(good, 2.0)]


def test_parent_arithmetic_matches_h3() -> None:
    cells = [
        _cell(lat, lng, res) for lat, lng in ((37.7, -122.4), (0.1, 0.1)) for res in (1, 7, 15)
    ]
    cells += [int(p, 16) for p in h3.get_pentagons(8)][:3]
    assert [int(p) for p in parents_of(cells)] == [
        int(h3.cell_to_parent(format(c, "x"), h3.get_resolution(format(c, "x")) - 1), 16)
        for c in cells
    ]
    assert list(invalid_cells([*cells, 0, 7, 1 << 62])) == [
        len(cells),
        len(cells) + 1,
        len(cells) + 2,
    ]


def test_a_county_given_hexes_after_the_seed_shows_up(world: Pool) -> None:
    gid = _new_game(world)
    late, moved = "99001", "99002"
    load_counties(world, [{"county_fips": late, "state_fips": "99", "name": "Late"},
                          {"county_fips": moved}])  # fmt: skip
    for t in range(4):
        rows = _territory(t, list(COUNTIES))
        if t == 0:  # journaled only before the seed, with no hexes yet
            rows += _territory(t, [late, moved])
        write_territory_snapshot(world, gid, t, rows)
    seed_hex_latest(world, gid)
    refresh_hex_latest(world, gid, 2)
    assert late not in {r["county_fips"] for r in _latest(world, gid)}
    # new hexes for the late county, after the seed
    fresh = sorted(int(c, 16) for c in h3.grid_disk(h3.latlng_to_cell(44.0, -103.0, 7), 1))
    load_hex_map(world, [{"h3_index": h, "county_fips": late} for h in fresh])
    latest = _latest(world, gid)
    assert latest == reconstruct_hex_state(world, gid, 2)
    assert {r["h3_index"] for r in latest if r["county_fips"] == late} == set(fresh)
    # hexes moved into a county that had none, after a refresh back in time
    refresh_hex_latest(world, gid, 1)
    refresh_hex_latest(world, gid, 3)
    load_hex_map(world, [{"h3_index": h, "county_fips": moved} for h in GEO["48201"][:4]])
    latest = _latest(world, gid)
    assert latest == reconstruct_hex_state(world, gid, 3)
    assert {r["h3_index"] for r in latest if r["county_fips"] == moved} == set(GEO["48201"][:4])


def test_a_hex_can_be_reassigned_to_another_county(world: Pool) -> None:
    a, b = _new_game(world, "a"), _new_game(world, "b")
    for gid in (a, b):
        for t in range(3):
            write_territory_snapshot(world, gid, t, _territory(t, list(COUNTIES)))
            write_hex_activity(world, gid, t, _activity(t))
        seed_hex_latest(world, gid)
    refresh_hex_latest(world, a, 2)
    hexes = GEO["06075"][:5]
    assert load_hex_map(world, [{"h3_index": h, "county_fips": "17031"} for h in hexes]) == 5
    for gid, tick in ((a, 2), (b, 0)):
        latest = _latest(world, gid)
        assert latest == reconstruct_hex_state(world, gid, tick)
        by_hex = {r["h3_index"]: r for r in latest}
        assert all(by_hex[h]["county_fips"] == "17031" for h in hexes)
    # and back, through the text form
    load_hex_map(world, [{"h3_index": format(h, "x"), "county_fips": "06075"} for h in hexes])
    assert _latest(world, a) == reconstruct_hex_state(world, a, 2)
    assert {r["h3_index"] for r in _latest(world, a) if r["county_fips"] == "06075"} == set(
        GEO["06075"]
    )


def test_internet_access_is_boolean_with_a_separate_share(world: Pool) -> None:
    gid = _new_game(world)
    write_territory_snapshot(world, gid, 0, _good_territory())
    seed_hex_latest(world, gid)
    aid = _rows(world, Q.hex_read_v_hex_aid, game_id=gid)
    assert {type(r["internet_access"]) for r in aid} == {bool}
    mixed = [r for r in aid if 0 < r["broadband_share"] < 1]
    assert mixed
    assert all(r["internet_access"] is True for r in mixed)


def test_unknown_counties_and_ticks_out_of_order_write_nothing(world: Pool) -> None:
    gid = _new_game(world)
    with pytest.raises(ValidationError, match="out of order"):
        write_hex_activity(world, gid, 1, _activity(1))
    write_territory_snapshot(world, gid, 0, _good_territory())
    write_hex_activity(world, gid, 0, _activity(0))
    seed_hex_latest(world, gid)
    before = _counts(world, gid)
    with pytest.raises(ValidationError, match=r"row 3: county '12345' is unknown"):
        write_territory_snapshot(world, gid, 1, [*_good_territory(), *_territory(1, ["12345"])])
    with pytest.raises(ValidationError, match="out of order"):
        write_territory_snapshot(world, gid, 2, _good_territory())
    with pytest.raises(ValidationError, match="out of order"):
        write_hex_activity(world, gid, 5, _activity(5))
    with pytest.raises(ValidationError, match="out of order"):
        refresh_hex_latest(world, gid, 1)
    assert _counts(world, gid) == before
    # an empty write still journals its tick: quiet ticks are ticks
    write_hex_activity(world, gid, 1, [])
    write_hex_activity(world, gid, 2, [])
    refresh_hex_latest(world, gid, 2)
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 2)
    # a county with no hexes is journaled but shows no hexes; its viewport is empty
    load_counties(world, [{"county_fips": "12345"}])
    write_territory_snapshot(world, gid, 3, _territory(3, ["12345"]))
    refresh_hex_latest(world, gid, 3)
    assert "12345" not in {r["county_fips"] for r in _latest(world, gid)}
    assert reconstruct_hex_state(world, gid, 3, county_fips="12345") == []
    bad_counties: list[Any] = [[{"county_fips": ""}], [{"county_fips": "1", "x": 1}], ["1"]]
    for rows in bad_counties:
        with pytest.raises(ValidationError):
            load_counties(world, rows)


def test_a_whole_tick_in_one_call_is_one_transaction(world: Pool) -> None:
    gid = _new_game(world)
    first = write_hex_tick(
        world, gid, 0, _territory(0, list(COUNTIES)), _activity(0), refresh=False
    )
    assert (first.territory_rows, first.activity_rows, first.refresh) == (
        3,
        len(_activity(0)),
        None,
    )
    seed_hex_latest(world, gid)
    one = write_hex_tick(world, gid, 1, _territory(1, ["17031"]), _activity(1))
    assert one.refresh is not None
    assert (one.refresh.tick, one.refresh.previous_tick) == (1, 0)
    assert one.refresh.active_hexes == len(_activity(1))
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 1)
    before = _counts(world, gid)
    # a refusal in either journal leaves nothing of the tick, the other journal included
    with pytest.raises(ValidationError, match=r"row 1: county '12345' is unknown"):
        write_hex_tick(world, gid, 2, _territory(2, ["17031", "12345"]), _activity(2))
    unmapped = [*_activity(2), {"h3_index": 42, "heat": 1.0}]
    with pytest.raises(ValidationError, match="hex_map does not know: 42"):
        write_hex_tick(world, gid, 2, _territory(2, ["17031"]), unmapped)
    with pytest.raises((ValidationError, SerializationError)):
        write_hex_tick(
            world, gid, 2, _territory(2, ["17031"]), [{"h3_index": ALL_HEXES[0], "heat": math.nan}]
        )
    with pytest.raises(ValidationError, match="out of order"):
        write_hex_tick(world, gid, 3, _territory(3, ["17031"]), _activity(3))
    assert _counts(world, gid) == before
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 1)
    # a rewrite of the head tick keeps the cache equal to the reconstruction
    again = write_hex_tick(world, gid, 1, _territory(1, list(COUNTIES)), [])
    assert again.refresh is not None
    assert again.refresh.active_hexes == 0
    assert _latest(world, gid) == reconstruct_hex_state(world, gid, 1)
    # refreshing an unseeded game is refused before anything is written
    other = _new_game(world, "unseeded")
    with pytest.raises(ValidationError, match="never seeded"):
        write_hex_tick(world, other, 0, _territory(0, ["17031"]), _activity(0))
    assert _counts(world, other)["territory_snapshot"] == 0
    assert _counts(world, other)["hex_activity"] == 0


def test_post_copy_checks_name_every_refused_key(world: Pool) -> None:
    gid = _new_game(world)
    rows = _territory(0, ["17031", "99999", "99998"])
    with pytest.raises(ValidationError, match=r"row 2: county '99998' is unknown \(and 1 more"):
        write_territory_snapshot(world, gid, 0, rows)
    hexes = [{"h3_index": h} for h in (45, 44, 43, 42, 41, 40)]
    with pytest.raises(ValidationError, match=r"40 .*, 41 .*and 1 more"):
        write_hex_activity(world, gid, 0, [*_activity(0), *hexes])
    assert _counts(world, gid)["territory_snapshot"] == 0
    assert _counts(world, gid)["hex_activity"] == 0


def test_journal_game_references_hold_per_statement(world: Pool) -> None:
    """The journals check game_id by statement triggers, not per-row foreign
    keys: unknown games are refused with foreign_key_violation, a deleted or
    truncated game takes its rows, a referenced session_id cannot change."""
    gid = _new_game(world)
    write_hex_tick(world, gid, 0, _territory(0, list(COUNTIES)), _activity(0), refresh=False)
    other = _new_game(world, "kept")
    write_hex_tick(world, other, 0, _territory(0, ["17031"]), _activity(0), refresh=False)
    ghost = uuid.uuid4()
    refused = psycopg.errors.ForeignKeyViolation
    with world.connection() as conn:
        for query in (
            Q.hex_copy_territory_to_game,
            Q.hex_copy_activity_to_game,
            Q.hex_move_territory_rows,
            Q.hex_move_activity_rows,
        ):
            with pytest.raises(refused, match=str(ghost)), conn.transaction():
                query(conn, game_id=gid, to_game_id=ghost)
        with pytest.raises(refused, match="still referenced"), conn.transaction():
            Q.hex_change_session_id(conn, game_id=gid, to_game_id=ghost)
        Q.hex_delete_game(conn, game_id=gid)
    assert _counts(world, gid)["territory_snapshot"] == 0
    assert _counts(world, gid)["hex_activity"] == 0
    assert _counts(world, other)["territory_snapshot"] == 1
    assert _counts(world, other)["hex_activity"] == len(_activity(0))
    with world.connection() as conn:
        Q.hex_truncate_games(conn)
    assert _counts(world, other)["territory_snapshot"] == 0
    assert _counts(world, other)["hex_activity"] == 0


def test_tensors_of_large_finite_values_round_trip(world: Pool) -> None:
    """Finite components whose sum overflows a double are still finite components."""
    gid = _new_game(world)
    rows = _good_territory()
    rows[0] = {**rows[0], "value_tensor": [1.7e308] * 6 + [-1.7e308] * 6}
    write_territory_snapshot(world, gid, 0, rows)
    with world.connection() as conn:
        stored = Q.hex_territory_tensor(
            conn, game_id=gid, tick=0, county_fips=rows[0]["county_fips"]
        )
    assert stored == [1.7e308] * 6 + [-1.7e308] * 6


_numbers = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**65), max_value=2**65),
    st.booleans(),
    st.text(max_size=3),
)
_texts = st.one_of(st.none(), st.text(max_size=6), st.integers(), st.just("\x00"), st.just(""))


_finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(
    row=st.fixed_dictionaries(
        {
            "county_fips": st.one_of(st.just("01001"), _texts),
            "value_tensor": st.one_of(
                st.lists(_finite, min_size=12, max_size=12),
                st.lists(st.floats(), min_size=11, max_size=13),
                st.lists(st.one_of(_finite, _numbers), min_size=12, max_size=12),
                st.tuples(*[_finite] * 12),
            ),
        },
        optional={
            "profit_rate": st.one_of(_finite, _numbers),
            "occ": st.one_of(_finite, _numbers),
            "pop_total": st.one_of(st.integers(0, 2**63 - 1), _numbers),
            "mobilizable_pop": _numbers,
            "dominant_class": st.one_of(st.just("proletariat"), _texts),
            "class_distribution": st.one_of(
                st.none(), st.dictionaries(st.text(max_size=3), _numbers, max_size=2)
            ),
        },
    )
)
def test_territory_fast_path_agrees_with_the_checks(row: dict[str, Any]) -> None:
    """The exact-type fast path of a territory row gives what the field checks give."""
    gid = uuid.uuid4()
    outcomes = []
    for given_row in (row, MappingProxyType(row)):  # a dict takes the fast path; a proxy cannot
        try:
            outcomes.append(_territory_row(gid, 1, given_row, 0))
        except (ValidationError, SerializationError) as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    event("written" if isinstance(outcomes[0], tuple) else "refused")


@settings(max_examples=400, deadline=None)
@given(
    row=st.fixed_dictionaries(
        {"h3_index": st.one_of(st.just(ALL_HEXES[0]), st.integers(-1, 2**64), _texts)},
        optional={
            "heat": st.one_of(_finite, _numbers),
            "heat_delta": st.one_of(_finite, _numbers),
            "org_count": st.one_of(st.integers(0, 2**31 - 1), _numbers),
            "org_presence": _numbers,
            "actions_taken": st.one_of(st.integers(0, 2**31), _numbers),
            "faction_control": st.one_of(
                st.none(), st.dictionaries(st.text(max_size=3), _numbers, max_size=2)
            ),
        },
    )
)
def test_activity_fast_path_agrees_with_the_checks(row: dict[str, Any]) -> None:
    """The exact-type fast path of an activity row gives what the field checks give."""
    gid = uuid.uuid4()
    outcomes = []
    for given_row in (row, MappingProxyType(row)):
        try:
            outcomes.append(_activity_row(gid, 1, given_row, 0))
        except (ValidationError, SerializationError) as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    event("written" if isinstance(outcomes[0], tuple) else "refused")
