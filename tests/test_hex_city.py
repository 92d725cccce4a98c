"""The hex journal on the generated ``city`` world (1,519 R7 hexes, 15 counties):
the cache equals the reconstruction over random journals with static changes,
viewports, hex_cell geometry, the Arrow read path and the original API's hex
methods."""

from __future__ import annotations

import json
import random
import statistics
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiosql
import h3
import numpy as np
import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from babylon_sql import PostgresRuntime
from babylon_sql.catalogue import queries
from babylon_sql.errors import MissingExtensionError, SessionNotFoundError, ValidationError
from babylon_sql.hex import world as hw
from babylon_sql.hex.arrow import read_arrow, reconstruct_arrow, view_arrow
from babylon_sql.hex.journal import (
    HEX_STATE_FIELDS,
    descendant_range,
    hex_cells_in_bbox,
    hex_cells_within_radius,
    load_counties,
    load_hex_cells,
    load_hex_map,
    load_hex_substrate,
    read_hex_latest,
    reconstruct_hex_state,
    refresh_hex_latest,
    seed_hex_latest,
    write_hex_activity,
    write_territory_snapshot,
)

Pool = ConnectionPool[psycopg.Connection[Any]]
_SQL = Path(__file__).parent / "sql"
Q = aiosql.from_str("\n".join(p.read_text() for p in sorted(_SQL.glob("hex_*.sql"))), "psycopg")
CITY = hw.generate_world("city", seed=0)
HEXES = CITY.hex_map["h3_index"].tolist()
COUNTIES = CITY.counties["county_fips"].tolist()


def _rows(pool: Pool, query: Any, **params: Any) -> list[dict[str, Any]]:
    with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        cur.execute(query.sql, params)
        return cur.fetchall()


def _new_game(pool: Pool, name: str = "city") -> uuid.UUID:
    with pool.connection() as conn:
        gid: uuid.UUID = Q.hex_create_game(conn, name=name)
    return gid


def _latest(pool: Pool, gid: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {k: r[k] for k in HEX_STATE_FIELDS} for r in _rows(pool, Q.hex_read_latest, game_id=gid)
    ]


def _territory(tick: int, counties: list[str] | None = None) -> list[dict[str, Any]]:
    rows = list(hw.territory_rows(hw.territory_for_tick(CITY, tick)))
    return rows if counties is None else [r for r in rows if r["county_fips"] in counties]


def _activity(tick: int) -> list[dict[str, Any]]:
    return list(hw.activity_rows(hw.activity_for_tick(CITY, tick, active=60)))


@pytest.fixture
def city(pg_pool: Pool) -> Pool:
    load_counties(
        pg_pool,
        hw.rows(CITY.counties, fields=("county_fips", "state_fips", "name")),
    )
    load_hex_map(pg_pool, hw.hex_map_rows(CITY))
    load_hex_substrate(pg_pool, hw.substrate_rows(CITY))
    return pg_pool


# ---------------------------------------------------------------------------
# the invariant over random journals, static changes included


class _Model:
    """What hex_base must show, recomputed in Python from the substrate rows."""

    def __init__(self) -> None:
        self.children: dict[int, dict[str, Any]] = {
            r["h3_index"]: r for r in hw.substrate_rows(CITY)
        }

    def aid(self, hexes: set[int]) -> dict[int, tuple[Any, ...]]:
        kids: dict[int, list[dict[str, Any]]] = {}
        for r in self.children.values():
            kids.setdefault(r["parent_h3_index"], []).append(r)
        out = {}
        for h in hexes:
            rows = kids.get(h, [])
            if not rows:
                out[h] = (None, None, None, None)
                continue
            counts = Counter(r["terrain_type"] for r in rows)
            top = max(counts.values())
            out[h] = (
                min(t for t, n in counts.items() if n == top),
                round(statistics.fmean(r["water_coverage"] for r in rows), 9),
                any(r["broadband"] for r in rows),
                round(statistics.fmean(r["broadband"] for r in rows), 9),
            )
        return out


def _outside_hexes(n: int, rng: random.Random) -> list[int]:
    """R7 cells next to the city disc, not in hex_map."""
    ring = set()
    for h in rng.sample(HEXES, 40):
        ring.update(int(c, 16) for c in h3.grid_disk(format(h, "x"), 2))
    ring -= set(HEXES)
    return sorted(rng.sample(sorted(ring), min(n, len(ring))))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cache_equals_reconstruction_over_random_journals(city: Pool, seed: int) -> None:
    rng = random.Random(seed)
    gid = _new_game(city, f"random-{seed}")
    model = _Model()
    mapped = {h: c for h, c in zip(HEXES, COUNTIES_OF_HEX, strict=True)}
    late = f"9{seed}000"
    load_counties(city, [{"county_fips": late}])
    write_territory_snapshot(city, gid, 0, [*_territory(0), *_territory_for(late, 0)])
    write_hex_activity(city, gid, 0, _activity(0))
    journal = 0
    seed_hex_latest(city, gid)
    head = 0
    ops = ["territory", "activity", "refresh", "refresh", "reassign", "new_hexes",
           "substrate", "rewrite"]  # fmt: skip
    for step in range(14):
        op = rng.choice(ops)
        if op == "territory":
            journal += 1
            counties = rng.sample(COUNTIES, rng.randint(0, len(COUNTIES)))
            write_territory_snapshot(city, gid, journal, _territory(journal, counties))
        elif op == "activity":
            journal += 1
            write_hex_activity(city, gid, journal, _activity(journal) if rng.random() < 0.8 else [])
        elif op == "rewrite":  # an earlier tick, at or before the head
            t = rng.randint(0, journal)
            write_territory_snapshot(city, gid, t, _territory(t + 100, rng.sample(COUNTIES, 3)))
        elif op == "refresh":
            head = rng.randint(0, journal)
            refresh_hex_latest(city, gid, head)
        elif op == "reassign":
            moved = rng.sample(sorted(mapped), 25)
            target = rng.choice([*COUNTIES, late])
            load_hex_map(city, [{"h3_index": h, "county_fips": target} for h in moved])
            mapped.update(dict.fromkeys(moved, target))
        elif op == "new_hexes":
            fresh = [h for h in _outside_hexes(12, rng) if h not in mapped]
            target = rng.choice([*COUNTIES, late])
            load_hex_map(city, [{"h3_index": format(h, "x"), "county_fips": target} for h in fresh])
            mapped.update(dict.fromkeys(fresh, target))
            kids = [
                {"h3_index": int(k, 16), "parent_h3_index": h, "terrain_type": "urban",
                 "water_coverage": 0.25, "broadband": i % 2 == 0, "surveillance": 0.5}
                for h in fresh[:4]
                for i, k in enumerate(h3.cell_to_children(format(h, "x"), 8))
            ]  # fmt: skip
            load_hex_substrate(city, kids)
            model.children.update({k["h3_index"]: k for k in kids})
        elif op == "substrate":
            picked = rng.sample(sorted(model.children), 30)
            changed = [
                {**model.children[k], "terrain_type": rng.choice(hw.TERRAINS),
                 "broadband": rng.random() < 0.5, "water_coverage": rng.random()}
                for k in picked
            ]  # fmt: skip
            load_hex_substrate(city, changed)
            model.children.update({k["h3_index"]: k for k in changed})
        latest = _latest(city, gid)
        assert latest == reconstruct_hex_state(city, gid, head), (seed, step, op)
        assert {r["h3_index"]: r["county_fips"] for r in latest}.items() <= mapped.items()
        aid = {
            r["h3_index"]: (
                r["terrain_type"],
                None if r["water_coverage"] is None else round(r["water_coverage"], 9),
                r["internet_access"],
                None if r["broadband_share"] is None else round(r["broadband_share"], 9),
            )
            for r in _rows(city, Q.hex_read_v_hex_aid, game_id=gid)
        }
        assert aid == model.aid(set(aid)), (seed, step, op)


COUNTIES_OF_HEX = CITY.hex_map["county_fips"].tolist()


def _territory_for(county: str, tick: int) -> list[dict[str, Any]]:
    row = _territory(tick)[0]
    return [{**row, "county_fips": county}]


# ---------------------------------------------------------------------------
# viewports and geometry


def _played(pool: Pool) -> uuid.UUID:
    gid = _new_game(pool)
    for t in range(3):
        write_territory_snapshot(pool, gid, t, _territory(t))
        write_hex_activity(pool, gid, t, _activity(t))
    seed_hex_latest(pool, gid)
    refresh_hex_latest(pool, gid, 2)
    return gid


def test_viewports_by_county_and_parent_cell(city: Pool) -> None:
    gid = _played(city)
    everything = read_hex_latest(city, gid)
    assert [r["h3_index"] for r in everything] == HEXES
    county = hw.representative_county(CITY)
    rows = read_hex_latest(city, gid, county_fips=county)
    assert rows == [r for r in everything if r["county_fips"] == county]
    assert {r["h3_index"] for r in rows} == set(hw.county_hexes(CITY, county).tolist())
    for res in (4, 5, 6):
        parent = h3.cell_to_parent(format(HEXES[len(HEXES) // 2], "x"), res)
        low, high = descendant_range(parent)
        kids = {int(c, 16) for c in h3.cell_to_children(parent, 7)}
        assert low == min(kids)
        assert high >= max(kids)
        got = read_hex_latest(city, gid, parent=parent)
        assert got == [r for r in everything if r["h3_index"] in kids]
        assert got
    assert read_hex_latest(city, gid, parent=HEXES[0]) == everything[:1]
    with pytest.raises(ValidationError, match="resolution"):
        read_hex_latest(city, gid, parent=h3.cell_to_center_child(format(HEXES[0], "x"), 8))
    with pytest.raises(ValidationError, match="at most one"):
        read_hex_latest(city, gid, county_fips=county, parent=HEXES[0])
    with pytest.raises(ValidationError, match="bbox"):
        read_hex_latest(city, gid, bbox=(1.0, 2.0, 0.0, 3.0))


def test_hex_cells_from_real_boundaries_and_spatial_queries(city: Pool, pg_server: Any) -> None:
    gid = _played(city)
    min_lat, min_lng, max_lat, max_lng = hw.county_bbox(CITY, hw.representative_county(CITY))
    box = (min_lng, min_lat, max_lng, max_lat)
    if not pg_server.has("postgis"):
        for call in (
            lambda: load_hex_cells(city, HEXES),
            lambda: hex_cells_in_bbox(city, box),
            lambda: hex_cells_within_radius(city, 41.88, -87.63, 5000),
            lambda: read_hex_latest(city, gid, bbox=box),
        ):
            with pytest.raises(MissingExtensionError, match="postgis"):
                call()
        return
    with pytest.raises(ValidationError, match="not an H3 cell"):
        load_hex_cells(city, [HEXES[0], 12345])
    assert hex_cells_in_bbox(city, box) == []
    assert load_hex_cells(city, [format(h, "x") for h in HEXES]) == len(HEXES)
    assert load_hex_cells(city, HEXES[:10]) == 10  # already there: kept
    inside = hex_cells_in_bbox(city, box)
    centres = {h: h3.cell_to_latlng(format(h, "x")) for h in HEXES}
    centred = {
        h for h, (la, lo) in centres.items() if min_lat < la < max_lat and min_lng < lo < max_lng
    }
    assert centred <= set(inside)
    assert len(inside) < len(HEXES)
    # every returned cell's real boundary comes near the box
    pad = 0.05
    for h in inside:
        ring = h3.cell_to_boundary(format(h, "x"))
        assert any(min_lat - pad < la < max_lat + pad and min_lng - pad < lo < max_lng + pad
                   for la, lo in ring)  # fmt: skip
    rows = read_hex_latest(city, gid, bbox=box)
    assert [r["h3_index"] for r in rows] == sorted(inside)
    # radius: the cells whose centre is within 4 km of a point, nearest first
    lat, lng = centres[HEXES[700]]
    near = hex_cells_within_radius(city, lat, lng, 4000)
    assert near[0] == HEXES[700]
    dist = {h: h3.great_circle_distance((lat, lng), centres[h], unit="m") for h in HEXES}
    assert (
        {h for h, d in dist.items() if d < 3980}
        <= set(near)
        <= {h for h, d in dist.items() if d < 4020}
    )
    assert [dist[h] for h in near] == sorted(dist[h] for h in near)


# ---------------------------------------------------------------------------
# the Arrow read path


def _plain(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        d = dict(r)
        for k, v in d.items():
            if isinstance(v, dict):
                d[k] = json.dumps(v, sort_keys=True)
            elif isinstance(v, uuid.UUID):
                d[k] = str(v)
        out.append(d)
    return out


def _arrow_plain(table: Any) -> list[dict[str, Any]]:
    rows = table.to_pylist()
    for r in rows:
        for k, v in r.items():
            if isinstance(v, uuid.UUID):
                r[k] = str(v)
            elif k in ("faction_control",) and v is not None:
                r[k] = json.dumps(json.loads(v), sort_keys=True)
    return rows


def test_arrow_read_path_equals_the_row_reads(city: Pool) -> None:
    gid = _played(city)
    table = view_arrow(city, gid)
    assert table.num_rows == len(HEXES)
    assert _arrow_plain(table) == _plain(read_hex_latest(city, gid))
    # game_id is filled client side: the same table as every column sent
    assert table.equals(read_arrow(city, Q.hex_read_latest.sql, {"game_id": gid}))
    for view in ("v_hex_economic", "v_hex_heat", "v_hex_aid", "v_hex_intel", "v_hex_mobilize"):
        rows = _rows(city, getattr(Q, f"hex_read_{view}"), game_id=gid)
        assert _arrow_plain(view_arrow(city, gid, view)) == _plain(rows), view
    for tick in (0, 2):
        recon = reconstruct_arrow(city, gid, tick)
        assert _arrow_plain(recon) == _plain(reconstruct_hex_state(city, gid, tick))
        # tick is filled client side: the same table as every column sent
        sent = read_arrow(
            city, queries("pg").hex.reconstruct_hex_state.sql, {"game_id": gid, "tick": tick}
        )
        assert recon.equals(sent)
    assert str(table.schema.field("h3_index").type) == "int64"
    assert str(table.schema.field("internet_access").type) == "bool"
    empty = view_arrow(city, _new_game(city, "empty"))
    assert empty.num_rows == 0
    assert empty.column_names == table.column_names
    with pytest.raises(ValidationError, match="view"):
        view_arrow(city, gid, "game_session")
    with pytest.raises(SessionNotFoundError):
        view_arrow(city, uuid.uuid4())
    # carried counties (no territory row at the head tick) and NULL county
    # values: view_arrow reads the county columns at one hex per county
    rows = _territory(3)
    some = rows[: len(rows) // 2]
    some[0] = {**some[0], "profit_rate": None, "dominant_class": None}
    write_territory_snapshot(city, gid, 3, some)
    write_hex_activity(city, gid, 3, _activity(3))
    refresh_hex_latest(city, gid, 3)
    table = view_arrow(city, gid)
    assert table.column("profit_rate").null_count > 0
    assert len(set(table.column("tick").to_pylist())) == 1
    assert _arrow_plain(table) == _plain(read_hex_latest(city, gid))
    assert table.equals(read_arrow(city, Q.hex_read_latest.sql, {"game_id": gid}))
    with pytest.raises(SessionNotFoundError):
        reconstruct_arrow(city, uuid.uuid4(), 0)


def test_arrow_read_path_keeps_nulls_and_types(pg_pool: Pool) -> None:
    with pg_pool.connection() as conn:
        expected = conn.execute(Q.hex_arrow_sample.sql, {"n": 50}).fetchall()
    table = read_arrow(pg_pool, Q.hex_arrow_sample.sql, {"n": 50})
    got = [tuple(r.values()) for r in table.to_pylist()]

    def text(v: Any) -> Any:
        if isinstance(v, dict):
            return json.dumps(v)
        if isinstance(v, list):
            return "{" + ",".join(map(str, v)) + "}"
        return None if v is None else str(v)

    normal = [(*row[:8], *(text(v) for v in row[8:])) for row in expected]
    assert got == normal
    assert any(v is None for row in got for v in row)
    assert [str(t) for t in table.schema.types] == [
        "int16", "int32", "int64", "float", "double", "bool", "extension<arrow.uuid>",
        "large_string", "large_string", "large_string", "large_string",
    ]  # fmt: skip


@pytest.mark.parametrize("n", [0, 1, 2, 7])
def test_arrow_read_path_edge_cases(pg_pool: Pool, n: int) -> None:
    """All-NULL columns, control characters and empty strings, zero and one row."""
    with pg_pool.connection() as conn:
        expected = conn.execute(Q.hex_arrow_edges.sql, {"n": n}).fetchall()
    table = read_arrow(pg_pool, Q.hex_arrow_edges.sql, {"n": n})
    got = [tuple(r.values()) for r in table.to_pylist()]
    normal = [(*row[:5], json.dumps(row[5]), row[6]) for row in expected]
    assert got == normal
    assert table.num_rows == n
    assert [str(t) for t in table.schema.types] == [
        "double", "large_string", "extension<arrow.uuid>", "bool", "large_string",
        "large_string", "int64",
    ]  # fmt: skip
    if n:
        assert table.column("none_f8").null_count == n
        assert table.column("none_t").null_count == n


def test_arrow_read_path_masks_columns_that_gain_nulls(pg_pool: Pool) -> None:
    """The NULL mask covers the columns a query had NULLs in before; a column
    that gains NULLs is noticed and the read runs again with them all."""
    for k in (5, 3, 5, 0, 4, 5):
        with pg_pool.connection() as conn:
            expected = conn.execute(Q.hex_arrow_nulls_from.sql, {"k": k}).fetchall()
        table = read_arrow(pg_pool, Q.hex_arrow_nulls_from.sql, {"k": k})
        assert [tuple(r.values()) for r in table.to_pylist()] == expected, k
        assert [str(t) for t in table.schema.types] == ["int32", "double", "large_string", "bool"]


# ---------------------------------------------------------------------------
# the original API's hex methods


def _counts(pool: Pool, sid: uuid.UUID) -> dict[str, Any]:
    return _rows(pool, Q.hex_city_counts, session_id=sid)[0]


def test_original_hex_state_methods(city: Pool) -> None:
    pg = PostgresRuntime(city)
    sid = pg.create_session("orig")
    county = hw.representative_county(CITY)
    mine = [h for h, c in zip(HEXES, COUNTIES_OF_HEX, strict=True) if c == county][:3]
    other = next(h for h, c in zip(HEXES, COUNTIES_OF_HEX, strict=True) if c != county)
    states = [
        {"h3_index": format(h, "x"), "constant_capital": 100 + i, "variable_capital": 50.5,
         "surplus_value": Decimal("25.125"), "employment": 0.9, "dept_shares": [0.4, 0.3, 0.2, 0.1],
         "profit_rate": 0.2, "exploitation_rate": 0.5}
        for i, h in enumerate(mine)
    ] + [{"h3_index": other}]  # fmt: skip
    for tick in (3, 1, 2):
        pg.persist_hex_state(tick, states, session_id=sid)
    pg.persist_hex_state(1, states[:1], session_id=sid)  # idempotent replace
    rows = pg.get_hex_state_for_tick(sid, 1)
    assert [r["h3_index"] for r in rows] == sorted(format(h, "x") for h in [*mine, other])
    first = next(r for r in rows if r["h3_index"] == format(mine[0], "x"))
    assert list(first) == ["session_id", "tick", "h3_index", "constant_capital",
                           "variable_capital", "surplus_value", "employment", "dept_shares",
                           "profit_rate", "exploitation_rate"]  # fmt: skip
    assert first["session_id"] == sid
    assert first["constant_capital"] == Decimal(100)
    assert first["surplus_value"] == Decimal("25.125")
    assert first["dept_shares"] == [0.4, 0.3, 0.2, 0.1]
    assert len(first["h3_index"]) == 15
    blank = next(r for r in rows if r["h3_index"] == format(other, "x"))
    assert (blank["constant_capital"], blank["dept_shares"]) == (0, [0.0, 0.0, 0.0, 0.0])
    only = pg.get_hex_state_for_tick(sid, 1, county_fips=county)
    assert [r["h3_index"] for r in only] == sorted(format(h, "x") for h in mine)
    series = pg.get_hex_time_series(sid, format(mine[1], "x"))
    assert [r["tick"] for r in series] == [1, 2, 3]
    assert [r["tick"] for r in pg.get_hex_time_series(sid, mine[1], tick_start=2)] == [2, 3]
    assert [r["tick"] for r in pg.get_hex_time_series(sid, mine[1], tick_start=2, tick_end=2)] == [
        2
    ]
    assert pg.get_hex_state_for_tick(sid, 9) == []
    pg.persist_hex_state(4, [], session_id=sid)
    before = _counts(city, sid)
    bad: list[Any] = [
        [{"h3_index": 0}],
        [{"h3_index": format(_outside_hexes(1, random.Random(0))[0], "x")}],
        [{"h3_index": mine[0], "dept_shares": [1, 2, 3]}],
        [{"h3_index": mine[0], "employment": float("nan")}],
        [{"h3_index": mine[0], "wealth": 1}],
        [{"constant_capital": 1}],
        [states[0], states[0]],
        "not rows",
    ]
    for rows_in in bad:
        with pytest.raises(ValidationError):
            pg.persist_hex_state(5, rows_in, session_id=sid)
    assert _counts(city, sid) == before


def test_original_populate_hex_cells(city: Pool, pg_server: Any) -> None:
    pg = PostgresRuntime(city)
    sid = pg.create_session("cells")
    fresh = _outside_hexes(3, random.Random(5))

    def cell(h: int, county: str = "77777") -> dict[str, Any]:
        text = format(h, "x")
        ring = h3.cell_to_boundary(text)
        lat, lng = h3.cell_to_latlng(text)
        poly = ", ".join(f"{lo} {la}" for la, lo in [*ring, ring[0]])
        return {
            "h3_index": text,
            "county_fips": county,
            "res6_parent": h3.cell_to_parent(text, 6),
            "res5_parent": h3.cell_to_parent(text, 5),
            "geometry_wkt": f"POLYGON(({poly}))",
            "centroid_wkt": f"POINT({lng} {lat})",
        }

    assert pg.populate_hex_cells([]) == 0
    if not pg_server.has("postgis"):
        with pytest.raises(MissingExtensionError, match="postgis"):
            pg.populate_hex_cells([cell(fresh[0])])
        return
    before = _counts(city, sid)
    bad = [
        {**cell(fresh[0]), "res5_parent": cell(fresh[0])["res6_parent"]},
        {**cell(fresh[0]), "geometry_wkt": "POINT(1 2)"},
        {**cell(fresh[0]), "geometry_wkt": "POLYGON((1 2, 3))"},
        {k: v for k, v in cell(fresh[0]).items() if k != "county_fips"},
        {**cell(fresh[0]), "h3_index": "0" * 15},
    ]
    for row in bad:
        with pytest.raises(ValidationError):
            pg.populate_hex_cells([cell(fresh[1]), row])
    assert _counts(city, sid) == before
    rows = [cell(h) for h in fresh] + [cell(HEXES[0], "77777")]
    assert pg.populate_hex_cells(rows) == 4
    assert pg.populate_hex_cells(rows) == 4  # kept, like the original
    after = _counts(city, sid)
    assert after["hex_map"] == before["hex_map"] + 3  # HEXES[0] keeps its county
    assert after["hex_county"] == before["hex_county"] + 1
    assert hex_cells_within_radius(city, *h3.cell_to_latlng(format(fresh[0], "x")), 100) == [
        fresh[0]
    ]
    pg.persist_hex_state(0, [{"h3_index": format(fresh[0], "x")}], session_id=sid)
    assert [r["h3_index"] for r in pg.get_hex_state_for_tick(sid, 0, county_fips="77777")] == [
        format(fresh[0], "x")
    ]
    assert np.isclose(len(fresh), 3)
