"""The synthetic hex world generator: real H3 cells, deterministic, no database."""

from __future__ import annotations

import re
import time

import h3.api.numpy_int as h3n
import numpy as np
import pytest

from babylon_sql.hex import world as hw


@pytest.fixture(scope="module")
def city() -> hw.World:
    return hw.generate_world("city", seed=0)


def _same(a: hw.Columns, b: hw.Columns) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_same_seed_same_world_and_other_seed_other_world(city: hw.World) -> None:
    again = hw.generate_world("city", seed=0)
    assert _same(city.hex_map, again.hex_map)
    assert _same(city.counties, again.counties)
    assert _same(city.substrate, again.substrate)
    other = hw.generate_world("city", seed=1)
    # Same disc of cells, different counties and terrain.
    assert np.array_equal(city.hex_map["h3_index"], other.hex_map["h3_index"])
    assert not np.array_equal(city.hex_map["county_fips"], other.hex_map["county_fips"])
    assert not np.array_equal(city.substrate["terrain_type"], other.substrate["terrain_type"])


def test_city_size(city: hw.World) -> None:
    assert 1_400 <= city.n_hexes <= 1_600
    assert 10 <= city.n_counties <= 20
    assert city.scale == "city"


def test_hex_map_cells_are_valid_r7_and_sorted(city: hw.World) -> None:
    cells = city.hex_map["h3_index"]
    assert cells.dtype == np.int64
    assert all(h3n.is_valid_cell(c) and h3n.get_resolution(c) == 7 for c in cells.tolist())
    assert np.all(np.diff(cells) > 0)
    lat, lng = h3n.cell_to_latlng(int(cells[0]))
    assert city.hex_map["lat"][0] == pytest.approx(lat)
    assert city.hex_map["lng"][0] == pytest.approx(lng)


def test_substrate_is_the_r8_children_of_every_hex(city: hw.World) -> None:
    sub = city.substrate
    children = sub["h3_index"]
    assert children.dtype == np.int64
    assert children.shape[0] == 7 * city.n_hexes
    assert len(np.unique(children)) == children.shape[0]
    parents = [h3n.cell_to_parent(c, 7) for c in children.tolist()]
    assert np.array_equal(np.array(parents, dtype=np.int64), sub["parent_h3"])
    assert all(h3n.get_resolution(c) == 8 for c in children[::97].tolist())
    _, per_parent = np.unique(sub["parent_h3"], return_counts=True)
    assert per_parent.shape[0] == city.n_hexes
    assert np.all(per_parent == 7)
    for r7 in city.hex_map["h3_index"][::50].tolist():
        expected = np.sort(np.asarray(h3n.cell_to_children(r7, 8), dtype=np.int64))
        assert np.array_equal(children[sub["parent_h3"] == r7], expected)


def test_substrate_values(city: hw.World) -> None:
    sub = city.substrate
    assert set(sub["terrain_type"].tolist()) <= set(hw.TERRAINS)
    assert {"urban", "water"} <= set(sub["terrain_type"].tolist())  # Chicago, Lake Michigan
    assert np.all((sub["water_coverage"] >= 0) & (sub["water_coverage"] <= 1))
    assert sub["broadband"].dtype == bool
    assert 0.0 < sub["broadband"].mean() < 1.0
    assert np.all((sub["surveillance"] >= 0) & (sub["surveillance"] <= 1))
    water = sub["terrain_type"] == "water"
    assert sub["water_coverage"][water].min() > sub["water_coverage"][~water].mean()


def test_terrain_is_spatially_coherent(city: hw.World) -> None:
    # Siblings (children of one hex) agree far more often than random pairs of cells.
    terrain = city.substrate["terrain_type"].reshape(-1, 7)
    siblings = float(np.mean(terrain[:, 0] == terrain[:, 1]))
    rng = np.random.default_rng(0)
    flat = city.substrate["terrain_type"]
    shuffled = float(np.mean(flat == rng.permutation(flat)))
    assert siblings > shuffled + 0.2


def test_counties(city: hw.World) -> None:
    c = city.counties
    fips = c["county_fips"].tolist()
    assert len(set(fips)) == len(fips) == city.n_counties
    assert fips == sorted(fips)
    assert all(re.fullmatch(r"^\d{5}$", f) for f in fips)
    assert all(re.fullmatch(r"^\d{5}$", f) for f in city.hex_map["county_fips"].tolist())
    assert c["state_fips"].tolist() == [f[:2] for f in fips]
    assert c["name"].tolist() == [f"County {f}" for f in fips]
    # Every county has a hex and hex_count counts them.
    counts = np.bincount(city.hex_map["county_index"], minlength=city.n_counties)
    assert np.all(counts >= 1)
    assert np.array_equal(counts, c["hex_count"])
    assert set(city.hex_map["county_fips"].tolist()) == set(fips)
    assert np.array_equal(
        c["county_fips"][city.hex_map["county_index"]], city.hex_map["county_fips"]
    )


def test_county_economics_are_plausible(city: hw.World) -> None:
    c = city.counties
    assert c["population"].dtype == np.int64
    assert np.all(c["population"] >= 50)
    assert 1_000_000 < c["population"].sum() < 20_000_000
    assert np.all((c["profit_rate"] >= 0.05) & (c["profit_rate"] <= 0.35))
    assert np.all((c["exploitation_rate"] >= 0.5) & (c["exploitation_rate"] <= 3.0))
    assert np.all((c["occ"] >= 1.0) & (c["occ"] <= 8.0))
    assert np.all(c["imperial_rent"] >= 0)
    dist = c["class_distribution"]
    assert dist.shape == (city.n_counties, len(hw.CLASSES))
    assert np.allclose(dist.sum(axis=1), 1.0)
    assert np.all(dist >= 0)
    dominant = [hw.CLASSES[i] for i in np.argmax(dist, axis=1)]
    assert c["dominant_class"].tolist() == dominant


def test_counties_are_contiguous_enough(city: hw.World) -> None:
    # Nearest-seed groups: most hexes have a neighbour in their own county.
    cells, fips_of = city.hex_map["h3_index"].tolist(), city.hex_map["county_fips"].tolist()
    index = dict(zip(cells, fips_of, strict=True))
    lonely = 0
    for cell, fips in index.items():
        ring = h3n.grid_ring(cell, 1).tolist()
        if not any(index.get(n) == fips for n in ring):
            lonely += 1
    assert lonely == 0


def test_activity_rows(city: hw.World) -> None:
    a = hw.activity_for_tick(city, 3)
    cells = a["h3_index"]
    assert cells.shape[0] == hw.default_active(city) == 31
    assert len(np.unique(cells)) == cells.shape[0]
    assert np.all(np.isin(cells, city.hex_map["h3_index"]))
    assert {len(v) for v in a.values()} == {cells.shape[0]}
    assert np.all(a["heat"] >= 0)
    assert np.all((a["org_presence"] >= 0) & (a["org_presence"] <= 1))
    assert np.all(a["org_count"] >= 0)
    assert np.all(a["actions_taken"] >= 0)
    shares = a["faction_state"] + a["faction_capital"] + a["faction_labor"]
    assert np.allclose(shares, 1.0)
    big = hw.activity_for_tick(city, 3, active=200)
    assert big["h3_index"].shape[0] == 200
    assert len(np.unique(big["h3_index"])) == 200


def test_activity_is_deterministic(city: hw.World) -> None:
    a, b = hw.activity_for_tick(city, 7, seed=5), hw.activity_for_tick(city, 7, seed=5)
    assert _same(a, b)
    c = hw.activity_for_tick(city, 7, seed=6)
    assert not np.array_equal(a["h3_index"], c["h3_index"])


def test_activity_moves_over_ticks(city: hw.World) -> None:
    t0 = set(hw.activity_for_tick(city, 0)["h3_index"].tolist())
    t10 = set(hw.activity_for_tick(city, 10)["h3_index"].tolist())
    assert t0 != t10
    assert t0 & t10
    # Hotspots cluster: active hexes mostly touch another active hex.
    touching = sum(any(n in t10 for n in h3n.grid_ring(c, 1).tolist()) for c in t10)
    assert touching >= 0.8 * len(t10)


def test_heat_delta_is_the_change_since_the_previous_tick(city: hw.World) -> None:
    first = hw.activity_for_tick(city, 0)
    assert np.array_equal(first["heat_delta"], first["heat"])
    prev, now = hw.activity_for_tick(city, 4), hw.activity_for_tick(city, 5)
    before = dict(zip(prev["h3_index"].tolist(), prev["heat"].tolist(), strict=True))
    for cell, heat, delta in zip(
        now["h3_index"].tolist(), now["heat"].tolist(), now["heat_delta"].tolist(), strict=True
    ):
        assert delta == pytest.approx(heat - before.get(cell, 0.0))


def test_activity_rejects_negative_tick(city: hw.World) -> None:
    with pytest.raises(ValueError, match="tick"):
        hw.activity_for_tick(city, -1)
    with pytest.raises(ValueError, match="tick"):
        hw.territory_for_tick(city, -1)


def test_territory_covers_every_county_once(city: hw.World) -> None:
    t = hw.territory_for_tick(city, 12)
    assert t["county_fips"].tolist() == city.counties["county_fips"].tolist()
    assert {len(v) for v in t.values()} == {city.n_counties}
    assert t["value_tensor"].shape == (city.n_counties, 12)
    assert np.all(t["value_tensor"] >= 0)
    assert np.allclose(t["class_distribution"].sum(axis=1), 1.0)
    assert set(t["dominant_class"].tolist()) <= set(hw.CLASSES)
    assert np.all(t["mobilizable_pop"] <= t["pop_total"])
    assert np.all((t["profit_rate"] >= 0.05) & (t["profit_rate"] <= 0.35))


def test_territory_drifts_a_little_and_deterministically(city: hw.World) -> None:
    c = city.counties
    t0 = hw.territory_for_tick(city, 0)
    assert np.allclose(t0["profit_rate"], c["profit_rate"])
    assert np.allclose(t0["occ"], c["occ"])
    assert np.array_equal(t0["pop_total"], c["population"])
    t1, t1b = hw.territory_for_tick(city, 1), hw.territory_for_tick(city, 1)
    assert _same(t1, t1b)
    assert not np.array_equal(t1["occ"], t0["occ"])
    assert np.all(np.abs(t1["occ"] / t0["occ"] - 1.0) < 0.05)
    t50 = hw.territory_for_tick(city, 50)
    assert np.all(np.abs(t50["exploitation_rate"] / t0["exploitation_rate"] - 1.0) < 0.5)
    other = hw.territory_for_tick(city, 1, seed=9)
    assert not np.array_equal(other["occ"], t1["occ"])


def test_rows_give_plain_python_values(city: hw.World) -> None:
    got = list(hw.rows(city.hex_map, fields=("h3_index", "county_fips"), chunk=100))
    assert len(got) == city.n_hexes
    assert got[0] == {
        "h3_index": int(city.hex_map["h3_index"][0]),
        "county_fips": str(city.hex_map["county_fips"][0]),
    }
    assert type(got[0]["h3_index"]) is int
    assert type(got[0]["county_fips"]) is str
    sub = next(hw.rows(city.substrate))
    assert type(sub["broadband"]) is bool
    assert type(sub["water_coverage"]) is float
    assert list(hw.rows({"a": [1, 2], "b": np.array([3.0, 4.0])})) == [
        {"a": 1, "b": 3.0},
        {"a": 2, "b": 4.0},
    ]
    with pytest.raises(ValueError, match="length"):
        list(hw.rows({"a": [1], "b": [1, 2]}))


def test_loader_shaped_rows(city: hw.World) -> None:
    # Field names of hex_map, hex_substrate, territory_snapshot and hex_activity.
    hex_row = next(hw.hex_map_rows(city))
    assert hex_row.keys() == {"h3_index", "county_fips", "resolution"}
    assert hex_row["resolution"] == 7
    sub_row = next(hw.substrate_rows(city))
    assert sub_row.keys() == {
        "h3_index",
        "parent_h3_index",
        "terrain_type",
        "water_coverage",
        "broadband",
        "surveillance",
    }
    territory = list(hw.territory_rows(hw.territory_for_tick(city, 2)))
    assert len(territory) == city.n_counties
    assert len(territory[0]["value_tensor"]) == 12
    assert territory[0]["class_distribution"].keys() == set(hw.CLASSES)
    activity = list(hw.activity_rows(hw.activity_for_tick(city, 2)))
    assert activity[0].keys() == {
        "h3_index",
        "heat",
        "heat_delta",
        "org_count",
        "org_presence",
        "actions_taken",
        "faction_control",
    }
    assert activity[0]["faction_control"].keys() == {"state", "capital", "labor"}


def test_bbox_and_representative_county(city: hw.World) -> None:
    lat0, lng0, lat1, lng1 = city.bbox
    assert lat0 < city.hex_map["lat"].min()
    assert city.hex_map["lat"].max() < lat1
    assert lng0 < city.hex_map["lng"].min()
    assert city.hex_map["lng"].max() < lng1
    assert lat0 < 41.88 < lat1  # Chicago
    assert lng0 < -87.63 < lng1
    fips = hw.representative_county(city)
    hexes = hw.county_hexes(city, fips)
    assert hexes.shape[0] >= np.median(city.counties["hex_count"])
    clat0, clng0, clat1, clng1 = hw.county_bbox(city, fips)
    assert lat0 <= clat0 < clat1 <= lat1
    assert lng0 <= clng0 < clng1 <= lng1
    with pytest.raises(KeyError):
        hw.county_bbox(city, "99999")


def test_outline_is_a_plausible_conus() -> None:
    outline = hw.conus_outline()
    assert 40 <= len(outline) <= 120
    lats = [p[0] for p in outline]
    lngs = [p[1] for p in outline]
    assert 24.5 < min(lats) < 26
    assert 48.9 < max(lats) < 49.5
    assert -125 < min(lngs) < -124
    assert -67.5 < max(lngs) < -66.5


def test_unknown_scale() -> None:
    with pytest.raises(ValueError, match="scale"):
        hw.generate_world("planet", seed=0)  # type: ignore[arg-type]


def test_state_scale_builds_quickly_with_plausible_counts() -> None:
    start = time.perf_counter()
    state = hw.generate_world("state", seed=0)
    assert time.perf_counter() - start < 15
    assert 20_000 <= state.n_hexes <= 30_000
    assert 60 <= state.n_counties <= 100
    assert set(state.counties["state_fips"].tolist()) == {"42"}
    assert np.all(state.counties["hex_count"] >= 1)
    assert state.substrate["h3_index"].shape[0] == 7 * state.n_hexes
    assert hw.default_active(state) == 452
    assert len(hw.activity_for_tick(state, 1)["h3_index"]) == 452
