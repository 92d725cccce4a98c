"""Synthetic hex worlds on real H3 cells, for the hex journal's loaders and benchmarks.

:func:`generate_world` builds, deterministically from a seed, the static tables of a
world: the R7 county mapping (``hex_map``), the county economics (``counties``) and
the R8 terrain (``substrate``). :func:`activity_for_tick` and
:func:`territory_for_tick` then give the per-tick journal rows. Everything is
columnar (a dict of numpy arrays per table), so the CONUS world stays cheap.

Scales (R7 hex counts measured with the shipped data, seed 0):

* ``city`` - a disc of 1,519 R7 hexes around Chicago, 15 counties;
* ``state`` - a polygon roughly Pennsylvania, 22,557 R7 hexes, 67 counties;
* ``region`` - the north-east of the CONUS outline (north of 37N, east of 89W),
  245,674 R7 hexes and 900 counties: the size the journal's benchmarks assume;
* ``conus`` - every R7 hex whose centre lies inside ``data/conus_outline.json``:
  1,505,892 hexes (the lower 48 cover about 8M km2 and an R7 hex about 5.2 km2;
  about 215K hexes is the CONUS count at R6), 3,100 counties, 10.5M substrate rows.

The geography is plausible, not accurate: counties are nearest-seed groups of
hexes, state codes come from the nearest of 48 approximate state centres, and
population is a smooth field around 55 metropolitan areas.

The column names follow the brief of this module; :func:`hex_map_rows`,
:func:`substrate_rows`, :func:`territory_rows` and :func:`activity_rows` give
rows shaped for ``babylon_sql.hex_init``'s loaders (``parent_h3_index``,
``faction_control`` as a dict, and so on).
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import h3
import h3.api.numpy_int as h3n
import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
Columns = dict[str, Array]
Scale = Literal["city", "state", "region", "conus"]
BBox = tuple[float, float, float, float]

#: Terrain categories of the substrate, in code order.
TERRAINS: Final = ("plains", "forest", "mountain", "desert", "wetland", "urban", "water")
#: Classes of a county's class distribution, in column order.
CLASSES: Final = ("proletariat", "petty_bourgeoisie", "bourgeoisie", "lumpen")
#: Departments of the 12-component value tensor (4 departments x c, v, s).
DEPARTMENTS: Final = ("I", "IIa", "IIb", "III")

HEX_RES: Final = 7
SUBSTRATE_RES: Final = 8
CONUS_POPULATION: Final = 330_000_000
_HEX_KM2: Final = h3.average_hexagon_area(HEX_RES, "km^2")
# Distance between neighbouring R7 centres, in degrees of latitude.
_STEP_DEG: Final = math.sqrt(3.0) * h3.average_hexagon_edge_length(HEX_RES, "km") / 111.2
_OUTLINE: Final = Path(__file__).with_name("data") / "conus_outline.json"

_PLAINS, _FOREST, _MOUNTAIN, _DESERT, _WETLAND, _URBAN, _WATER = range(7)
_TERRAIN_OBJ: Final = np.array(TERRAINS, dtype=object)
_CLASS_OBJ: Final = np.array(CLASSES, dtype=object)

# (FIPS, lat, lng): approximate geographic centres of the 48 states.
_STATES: Final = (
    (1, 32.8, -86.8), (4, 34.3, -111.7), (5, 34.9, -92.4), (6, 37.2, -119.5),
    (8, 39.0, -105.5), (9, 41.6, -72.7), (10, 39.0, -75.5), (12, 28.6, -82.4),
    (13, 32.7, -83.4), (16, 44.4, -114.6), (17, 40.0, -89.2), (18, 39.9, -86.3),
    (19, 42.1, -93.5), (20, 38.5, -98.4), (21, 37.5, -85.3), (22, 31.0, -92.0),
    (23, 45.4, -69.2), (24, 39.0, -76.8), (25, 42.3, -71.8), (26, 44.3, -85.4),
    (27, 46.3, -94.3), (28, 32.7, -89.7), (29, 38.4, -92.5), (30, 47.0, -109.6),
    (31, 41.5, -99.8), (32, 39.3, -116.6), (33, 43.7, -71.6), (34, 40.2, -74.7),
    (35, 34.4, -106.1), (36, 42.9, -75.5), (37, 35.5, -79.4), (38, 47.5, -100.5),
    (39, 40.3, -82.8), (40, 35.6, -97.5), (41, 43.9, -120.6), (42, 40.9, -77.8),
    (44, 41.7, -71.5), (45, 33.9, -80.9), (46, 44.4, -100.2), (47, 35.9, -86.4),
    (48, 31.5, -99.3), (49, 39.3, -111.7), (50, 44.0, -72.7), (51, 37.5, -78.8),
    (53, 47.4, -120.5), (54, 38.6, -80.6), (55, 44.6, -89.9), (56, 43.0, -107.5),
)  # fmt: skip

# (lat, lng, population in millions): approximate metropolitan areas.
_METROS: Final = (
    (40.71, -74.00, 19.5), (34.05, -118.24, 13.0), (41.88, -87.63, 9.4), (32.78, -96.80, 7.6),
    (29.76, -95.37, 7.1), (38.90, -77.04, 6.3), (39.95, -75.17, 6.2), (25.76, -80.19, 6.1),
    (33.75, -84.39, 6.1), (42.36, -71.06, 4.9), (33.45, -112.07, 4.9), (37.77, -122.42, 4.7),
    (33.95, -117.40, 4.6), (42.33, -83.05, 4.3), (47.61, -122.33, 4.0), (44.98, -93.27, 3.7),
    (32.72, -117.16, 3.3), (27.95, -82.46, 3.2), (39.74, -104.99, 3.0), (38.63, -90.20, 2.8),
    (39.29, -76.61, 2.8), (35.23, -80.84, 2.7), (28.54, -81.38, 2.7), (29.42, -98.49, 2.6),
    (45.52, -122.68, 2.5), (38.58, -121.49, 2.4), (40.44, -79.99, 2.4), (30.27, -97.74, 2.3),
    (36.17, -115.14, 2.3), (39.10, -84.51, 2.3), (39.10, -94.58, 2.2), (39.96, -83.00, 2.1),
    (39.77, -86.16, 2.1), (41.50, -81.69, 2.1), (36.16, -86.78, 2.0), (40.76, -111.89, 1.3),
    (29.95, -90.07, 1.3), (35.15, -90.05, 1.3), (35.47, -97.52, 1.4), (35.08, -106.65, 0.9),
    (43.60, -116.20, 0.8), (41.26, -95.94, 1.0), (35.78, -78.64, 1.4), (43.04, -87.91, 1.6),
    (30.33, -81.66, 1.6), (42.89, -78.88, 1.1), (38.25, -85.76, 1.3), (37.54, -77.44, 1.3),
    (33.52, -86.80, 1.1), (32.22, -110.97, 1.0), (31.76, -106.49, 0.9), (47.66, -117.43, 0.6),
    (45.78, -108.50, 0.2), (46.88, -96.79, 0.25), (43.07, -89.40, 0.7),
)  # fmt: skip

# (lat, lng, half-height, half-width) in degrees: large lakes and bays as ellipses.
_WATERS: Final = (
    (47.6, -87.6, 0.8, 3.0), (44.3, -86.9, 2.0, 0.6), (42.6, -87.1, 1.0, 0.75),
    (44.6, -82.6, 1.4, 0.7), (42.2, -81.2, 0.35, 1.9), (43.65, -77.9, 0.3, 1.5),
    (41.1, -112.5, 0.45, 0.3), (26.95, -80.83, 0.15, 0.15), (38.2, -76.3, 0.9, 0.12),
    (47.6, -122.45, 0.5, 0.1), (35.4, -75.9, 0.35, 0.35),
)  # fmt: skip

# Roughly Pennsylvania: (lat, lng), clockwise from the north-west corner.
_PENNSYLVANIA: Final = (
    (41.98, -80.52), (42.27, -79.76), (42.0, -79.76), (42.0, -75.36), (41.8, -75.08),
    (41.35, -74.7), (41.0, -75.13), (40.6, -75.2), (40.2, -74.75), (40.0, -75.1),
    (39.83, -75.42), (39.72, -75.79), (39.72, -80.52),
)  # fmt: skip
_CHICAGO: Final = (41.8781, -87.6298)
# (min_lat, min_lng, max_lat, max_lng) of the region scale, clipped by the CONUS outline.
_REGION_BOX: Final = (37.0, -89.0, 49.5, -66.0)


@dataclass(frozen=True)
class _Spec:
    counties: int
    east_bias: bool
    state_fips: int | None = None


_SPECS: Final[dict[str, _Spec]] = {
    "city": _Spec(counties=15, east_bias=False),
    "state": _Spec(counties=67, east_bias=False, state_fips=42),
    "region": _Spec(counties=900, east_bias=True),
    "conus": _Spec(counties=3100, east_bias=True),
}


@dataclass(frozen=True)
class World:
    """A generated world: three column tables sharing the same R7 hexes.

    ``hex_map`` (one row per R7 hex, sorted by ``h3_index``): ``h3_index``
    (int64), ``county_fips`` (str, 5 digits), ``county_index`` (row in
    ``counties``), ``lat``, ``lng`` (cell centre), ``population`` (people).

    ``counties`` (sorted by ``county_fips``): ``county_fips``, ``state_fips``,
    ``name``, ``lat``, ``lng`` (seed point), ``hex_count``, ``population``
    (int64), ``profit_rate``, ``exploitation_rate``, ``occ``, ``imperial_rent``
    (per capita, dollar-like), ``dominant_class``, ``class_distribution``
    (n x 4, columns in :data:`CLASSES` order, rows sum to 1), ``urbanness`` (0
    to 1, from the county's population density).

    ``substrate`` (the 7 R8 children of every R7 hex, sorted by ``h3_index``):
    ``h3_index``, ``parent_h3``, ``terrain_type`` (one of :data:`TERRAINS`),
    ``water_coverage`` (0 to 1), ``broadband`` (bool), ``surveillance`` (0 to
    1), ``elevation_m``. Empty when generated with ``substrate=False``.
    """

    scale: str
    seed: int
    hex_map: Columns
    counties: Columns
    substrate: Columns

    @property
    def n_hexes(self) -> int:
        return int(self.hex_map["h3_index"].shape[0])

    @property
    def n_counties(self) -> int:
        return int(self.counties["county_fips"].shape[0])

    @property
    def bbox(self) -> BBox:
        """``(min_lat, min_lng, max_lat, max_lng)`` of every hex, cells included."""
        return _bbox(self.hex_map["lat"], self.hex_map["lng"])


# --------------------------------------------------------------------------
# geometry


@cache
def conus_outline() -> tuple[tuple[float, float], ...]:
    """The shipped CONUS outline: (lat, lng) vertices, ring not closed."""
    doc = json.loads(_OUTLINE.read_text(encoding="utf-8"))
    return tuple((float(a), float(b)) for a, b in doc["vertices"])


def _bbox(lat: Array, lng: Array) -> BBox:
    pad = _STEP_DEG
    cos = max(math.cos(math.radians(float(np.abs(lat).max()))), 0.1)
    return (
        float(lat.min()) - pad,
        float(lng.min()) - pad / cos,
        float(lat.max()) + pad,
        float(lng.max()) + pad / cos,
    )


def _inside(lat: Array, lng: Array, ring: Sequence[tuple[float, float]]) -> Array:
    """Even-odd point in polygon on (lat, lng) treated as plane coordinates."""
    inside = np.zeros(lat.shape, dtype=bool)
    for (y0, x0), (y1, x1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        crosses = (y0 > lat) != (y1 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (lng < x)
    return inside


def _cells(scale: str) -> Array:
    """The sorted R7 cells of a scale (int64), pentagons left out."""
    if scale == "city":
        centre = h3n.latlng_to_cell(_CHICAGO[0], _CHICAGO[1], HEX_RES)
        cells = h3n.grid_disk(centre, 22)
    elif scale == "state":
        cells = h3n.h3shape_to_cells(h3.LatLngPoly(list(_PENNSYLVANIA)), HEX_RES)
    elif scale == "region":
        lat0, lng0, lat1, lng1 = _REGION_BOX
        box = [(lat0, lng0), (lat1, lng0), (lat1, lng1), (lat0, lng1)]
        cells = h3n.h3shape_to_cells(h3.LatLngPoly(box), HEX_RES)
    else:
        cells = h3n.h3shape_to_cells(h3.LatLngPoly(list(conus_outline())), HEX_RES)
    out = np.sort(np.asarray(cells, dtype=np.uint64).astype(np.int64))
    pentagons = np.asarray(h3n.get_pentagons(HEX_RES), dtype=np.uint64).astype(np.int64)
    return out[~np.isin(out, pentagons)]


def _centres(cells: Array) -> tuple[Array, Array]:
    ll = np.array([h3n.cell_to_latlng(c) for c in cells.tolist()], dtype=np.float64)
    ll = ll.reshape(-1, 2)
    return ll[:, 0].copy(), ll[:, 1].copy()


def _children(cells: Array, digit: int) -> Array:
    """The R8 child of each R7 cell with the given last digit (0..6), by bit arithmetic.

    An H3 cell index holds its resolution in bits 52-55 and digit r in bits
    3 * (15 - r); digits below the resolution are 7. Pentagons (whose digit 1
    child is missing) are never in a world.
    """
    res_mask = np.int64(0xF << 52)
    digit_shift = 3 * (15 - SUBSTRATE_RES)
    out = (cells & ~res_mask) | np.int64(SUBSTRATE_RES << 52)
    return (out & ~np.int64(7 << digit_shift)) | np.int64(digit << digit_shift)


def _unit(lat: Array, lng: Array) -> Array:
    la, lo = np.radians(lat), np.radians(lng)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=1)


def _nearest(lat: Array, lng: Array, slat: Array, slng: Array) -> Array:
    """Index of the nearest seed (great-circle) for every point, by tiles of seeds.

    Points are bucketed into square lat/lng tiles; each tile compares its points
    with the seeds inside the tile grown by a margin. A point whose best seed is
    farther than the margin (so a seed outside the grown tile could be nearer)
    is compared with every seed.
    """
    area = max((float(np.ptp(lat)) + 0.01) * (float(np.ptp(lng)) + 0.01), 1e-6)
    tile = max(2.0 * math.sqrt(area / slat.shape[0]), 0.02)
    p, s = _unit(lat, lng), _unit(slat, slng)
    ti = np.floor(lat / tile).astype(np.int64)
    tj = np.floor(lng / tile).astype(np.int64)
    key = (ti - ti.min()) * (int(tj.max() - tj.min()) + 1) + (tj - tj.min())
    order = np.argsort(key, kind="stable")
    _, starts = np.unique(key[order], return_index=True)
    bounds = [*starts.tolist(), order.shape[0]]
    best = np.empty(lat.shape[0], dtype=np.int64)
    best_dot = np.empty(lat.shape[0], dtype=np.float64)
    margin_rad = math.radians(tile) * 0.9
    for a, b in itertools.pairwise(bounds):
        idx = order[a:b]
        i0, j0 = int(ti[idx[0]]), int(tj[idx[0]])
        lat_lo, lat_hi = i0 * tile - tile, (i0 + 1) * tile + tile
        cos = max(math.cos(math.radians(max(abs(lat_lo), abs(lat_hi)))), 0.05)
        lng_lo, lng_hi = j0 * tile - tile / cos, (j0 + 1) * tile + tile / cos
        cand = np.nonzero(
            (slat >= lat_lo) & (slat <= lat_hi) & (slng >= lng_lo) & (slng <= lng_hi)
        )[0]
        if cand.shape[0] == 0:
            best_dot[idx] = -2.0
            continue
        dots = p[idx] @ s[cand].T
        arg = np.argmax(dots, axis=1)
        best[idx] = cand[arg]
        best_dot[idx] = dots[np.arange(idx.shape[0]), arg]
    unsure = np.nonzero(best_dot < math.cos(margin_rad))[0]
    for a in range(0, unsure.shape[0], 4096):
        idx = unsure[a : a + 4096]
        best[idx] = np.argmax(p[idx] @ s.T, axis=1)
    return best


def _noise(rng: np.random.Generator, lat: Array, lng: Array, wavelengths: Sequence[float]) -> Array:
    """Smooth noise of unit variance: a sum of random plane waves over (lat, lng)."""
    x = lng * math.cos(math.radians(38.0))
    out = np.zeros(lat.shape, dtype=np.float64)
    total = 0.0
    for wl in wavelengths:
        for _ in range(3):
            theta, phase = rng.uniform(0.0, 2.0 * math.pi, 2)
            k = 2.0 * math.pi / wl * rng.uniform(0.8, 1.25)
            amp = wl**0.7
            out += amp * np.sin(k * (x * math.cos(theta) + lat * math.sin(theta)) + phase)
            total += amp * amp / 2.0
    return out / math.sqrt(total)


# --------------------------------------------------------------------------
# fields over the map


def _density(lat: Array, lng: Array) -> Array:
    """People per km2: a rural base (denser in the east) plus metropolitan kernels."""
    east = np.clip((lng + 104.0) / 10.0, 0.0, 1.0)
    dens = 6.0 + 24.0 * east
    coslat = np.cos(np.radians(lat))
    for mlat, mlng, pop in _METROS:
        sigma_km = 15.0 * pop**0.35
        reach = 5.0 * sigma_km / 111.2
        near = np.abs(lat - mlat) < reach
        if not near.any():
            continue
        dy = (lat[near] - mlat) * 111.2
        dx = (lng[near] - mlng) * 111.2 * coslat[near]
        d2 = dx * dx + dy * dy
        dens[near] += pop * 1e6 / (2.0 * math.pi * sigma_km**2) * np.exp(-d2 / (2 * sigma_km**2))
    return dens


def _lakes(lat: Array, lng: Array) -> Array:
    wet = np.zeros(lat.shape, dtype=bool)
    for clat, clng, hl, hw in _WATERS:
        wet |= ((lat - clat) / hl) ** 2 + ((lng - clng) / hw) ** 2 <= 1.0
    return wet


@dataclass(frozen=True)
class _Fields:
    """Continuous fields per R7 hex from which terrain is classified."""

    elevation: Array
    moisture: Array
    forest: Array
    rough: Array
    wet: Array
    lake: Array
    density: Array


def _fields(rng: np.random.Generator, lat: Array, lng: Array, density: Array) -> _Fields:
    n_elev = _noise(rng, lat, lng, (6.0, 1.5, 0.4, 0.1))
    n_moist = _noise(rng, lat, lng, (8.0, 2.0, 0.5))
    n_forest = _noise(rng, lat, lng, (3.0, 0.8, 0.2, 0.05))
    rough = _noise(rng, lat, lng, (1.0, 0.25, 0.06))
    wet = _noise(rng, lat, lng, (0.6, 0.15, 0.04))
    rockies = 2300.0 * np.exp(-(((lng + 107.5) / 3.2) ** 2))
    # Sierra Nevada (north-west trending) and Cascades (north-south) along one axis.
    sierra_axis = np.where(lat < 40.0, -121.0 + 0.77 * (40.0 - lat), -121.5)
    sierra = 2300.0 * np.exp(-(((lng - sierra_axis) / 0.8) ** 2))
    basin = 1400.0 * np.clip(1.0 - np.abs(lng + 115.5) / 5.0, 0.0, 1.0)
    plains = np.clip((-95.0 - lng) / 9.0, 0.0, 1.0) * 1300.0
    # Appalachians: a ridge along the segment from (34.5N, 85W) to (44.5N, 72W).
    sx = 13.0 * 0.77
    t = np.clip(((lat - 34.5) * 10.0 + (lng + 85.0) * 0.77 * sx) / (100.0 + sx * sx), 0.0, 1.0)
    dlat = lat - (34.5 + 10.0 * t)
    dlng = (lng - (-85.0 + 13.0 * t)) * 0.77
    appalachia = 750.0 * np.exp(-(dlat**2 + dlng**2) / 1.2)
    # Gulf and south Atlantic coastal plain: low-lying.
    lowland = np.exp(-(((lat - 29.5) / 2.0) ** 2)) * np.clip((lng + 98.0) / 2.0, 0.0, 1.0)
    base = 150.0 - 140.0 * lowland + np.maximum.reduce([rockies, sierra, basin, plains, appalachia])
    mountainous = np.clip(base / 2000.0, 0.1, 1.0)
    elevation = np.maximum(base + n_elev * 350.0 * mountainous, 0.0)
    east = np.clip((lng + 100.0) / 12.0, 0.0, 1.0)
    pnw = np.exp(-(((lng + 123.0) / 2.2) ** 2)) * np.clip((lat - 39.0) / 5.0, 0.0, 1.0)
    moisture = np.clip(0.12 + 0.7 * east + 0.8 * pnw + 0.12 * n_moist, 0.0, 1.0)
    corn = np.exp(-(((lat - 41.5) / 3.0) ** 2) - ((lng + 91.0) / 7.0) ** 2)
    forest = moisture - 0.55 * corn + 0.18 * n_forest
    # Arid south-west (Great Basin, Mojave, Sonora, Chihuahua): dry where this is high.
    arid = np.exp(-(((lat - 35.5) / 5.5) ** 2) - ((lng + 112.0) / 7.5) ** 2) + 0.15 * n_moist
    moisture = np.where(arid > 0.45, moisture, np.maximum(moisture, 0.3))
    return _Fields(elevation, moisture, forest, rough, wet, _lakes(lat, lng), density)


def _classify(
    f: _Fields, jitter: Array | None = None, small_lakes: Array | None = None
) -> tuple[Array, Array]:
    """Terrain codes and elevation from the fields, optionally jittered per child."""
    elev, moist, forest, rough, wet, dens = (
        f.elevation, f.moisture, f.forest, f.rough, f.wet, f.density
    )  # fmt: skip
    if jitter is not None:
        elev = elev + 60.0 * jitter[0] * np.clip(elev / 1500.0, 0.2, 1.0)
        moist = moist + 0.05 * jitter[1]
        forest = forest + 0.1 * jitter[2]
        rough = rough + 0.25 * jitter[3]
        wet = wet + 0.25 * jitter[4]
        dens = dens * np.exp(0.4 * jitter[5])
    lake = f.lake if small_lakes is None else f.lake | small_lakes
    code = np.select(
        [
            lake | (wet > 2.6),
            dens > 650.0,
            (elev > 2000.0 + 250.0 * rough) | ((elev > 900.0) & (rough > 1.3)),
            ((elev < 30.0) & (moist > 0.55) & (wet > -0.3)) | (wet > 1.9),
            moist < 0.27,
            forest > 0.62,
        ],
        [_WATER, _URBAN, _MOUNTAIN, _WETLAND, _DESERT, _FOREST],
        default=_PLAINS,
    ).astype(np.uint8)
    return code, elev


# --------------------------------------------------------------------------
# the world


def generate_world(scale: Scale = "city", *, seed: int = 0, substrate: bool = True) -> World:
    """Build the world of a scale, deterministically from ``seed``.

    ``substrate=False`` skips the R8 table (its columns are then empty), which
    saves most of the time and memory at ``conus`` scale.
    """
    if scale not in _SPECS:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(_SPECS)}")
    spec = _SPECS[scale]
    rng = np.random.default_rng([seed, 0x3E7])
    cells = _cells(scale)
    lat, lng = _centres(cells)
    if scale == "region":  # the part of the CONUS outline inside the box
        keep = _inside(lat, lng, conus_outline())
        cells, lat, lng = cells[keep], lat[keep], lng[keep]
    lake = _lakes(lat, lng)
    density = np.where(lake, 0.0, _density(lat, lng))

    county_of, counties = _counties(rng, spec, lat, lng, density)
    total = CONUS_POPULATION if scale == "conus" else None
    hex_pop = density * _HEX_KM2
    if total is not None:
        hex_pop *= total / hex_pop.sum()
    _economics(rng, counties, county_of, hex_pop, total)
    hex_map: Columns = {
        "h3_index": cells,
        "county_fips": counties["county_fips"][county_of],
        "county_index": county_of.astype(np.int32),
        "lat": lat,
        "lng": lng,
        "population": hex_pop,
    }
    if substrate:
        urbanness = np.clip(np.log10(density + 1.0) / 3.3, 0.0, 1.0)
        sub = _substrate(rng, cells, _fields(rng, lat, lng, density), urbanness)
    else:
        sub = _empty_substrate()
    return World(scale=scale, seed=seed, hex_map=hex_map, counties=counties, substrate=sub)


def _counties(
    rng: np.random.Generator, spec: _Spec, lat: Array, lng: Array, density: Array
) -> tuple[Array, Columns]:
    """Group hexes into counties around seeds; return each hex's county and the counties."""
    n = lat.shape[0]
    if n == 0:
        raise ValueError("this scale has no hexes")
    weight = np.where(density > 0.0, 1.0 + 0.35 * np.log1p(density / 100.0), 0.05)  # 0: a lake
    if spec.east_bias:
        weight *= 0.15 + 0.85 * np.clip((lng + 106.0) / 12.0, 0.0, 1.0) ** 1.5
    k = min(spec.counties, n)
    seeds = np.sort(rng.choice(n, size=k, replace=False, p=weight / weight.sum()))
    slat, slng = lat[seeds], lng[seeds]
    owner = _nearest(lat, lng, slat, slng)
    owner[seeds] = np.arange(k)  # a seed's own hex is always its county's

    if spec.state_fips is not None:
        state = np.full(k, spec.state_fips, dtype=np.int64)
    else:
        st = np.array(_STATES, dtype=np.float64)
        state = st[_nearest(slat, slng, st[:, 1], st[:, 2]), 0].astype(np.int64)
    code = np.zeros(k, dtype=np.int64)
    order = np.lexsort((slng, -slat, state))  # within a state: north to south, west to east
    st_sorted = state[order]
    first = np.searchsorted(st_sorted, st_sorted, side="left")
    rank = np.arange(k) - first
    per_state = np.bincount(st_sorted)[st_sorted]
    code[order] = np.where(per_state <= 499, 2 * rank + 1, rank + 1)
    fips = np.array([f"{s:02d}{c:03d}" for s, c in zip(state.tolist(), code.tolist(), strict=True)])

    by_fips = np.argsort(fips, kind="stable")
    remap = np.empty(k, dtype=np.int64)
    remap[by_fips] = np.arange(k)
    county_of = remap[owner]
    fips = fips[by_fips]
    counties: Columns = {
        "county_fips": fips,
        "state_fips": np.array([f[:2] for f in fips.tolist()]),
        "name": np.array([f"County {f}" for f in fips.tolist()]),
        "lat": slat[by_fips],
        "lng": slng[by_fips],
        "hex_count": np.bincount(county_of, minlength=k).astype(np.int64),
    }
    return county_of, counties


def _economics(
    rng: np.random.Generator,
    counties: Columns,
    county_of: Array,
    hex_pop: Array,
    total: int | None,
) -> None:
    """Fill the county economics columns in place (population summing to about ``total``)."""
    k = counties["county_fips"].shape[0]
    raw = np.bincount(county_of, weights=hex_pop, minlength=k) * rng.lognormal(0.0, 0.25, k)
    if total is not None:
        raw *= total / raw.sum()
    pop = np.maximum(np.rint(raw), 50).astype(np.int64)
    density = pop / (counties["hex_count"] * _HEX_KM2)
    u = np.clip(np.log10(density + 1.0) / 3.3, 0.0, 1.0)
    occ = np.clip(3.5 + 3.0 * u + rng.normal(0.0, 1.0, k), 1.0, 8.0)
    expl = np.clip(0.8 + 1.0 * u + rng.normal(0.0, 0.3, k), 0.5, 3.0)
    profit = np.clip(expl / (1.0 + occ) * rng.lognormal(0.0, 0.12, k), 0.05, 0.35)
    rent = np.maximum(1500.0 + 3500.0 * u + rng.normal(0.0, 600.0, k), 0.0)
    rural = np.array([0.42, 0.38, 0.04, 0.16])
    urban = np.array([0.62, 0.15, 0.08, 0.15])
    mean = rural[None, :] + u[:, None] * (urban - rural)[None, :]
    g = rng.gamma(mean * 14.0)
    dist = g / g.sum(axis=1, keepdims=True)
    counties.update(
        population=pop,
        profit_rate=profit,
        exploitation_rate=expl,
        occ=occ,
        imperial_rent=rent,
        dominant_class=_CLASS_OBJ[np.argmax(dist, axis=1)],
        class_distribution=dist,
        urbanness=u,
    )


def _empty_substrate() -> Columns:
    return {
        "h3_index": np.empty(0, dtype=np.int64),
        "parent_h3": np.empty(0, dtype=np.int64),
        "terrain_type": np.empty(0, dtype=object),
        "water_coverage": np.empty(0, dtype=np.float32),
        "broadband": np.empty(0, dtype=bool),
        "surveillance": np.empty(0, dtype=np.float32),
        "elevation_m": np.empty(0, dtype=np.float32),
    }


def _substrate(rng: np.random.Generator, cells: Array, f: _Fields, urbanness: Array) -> Columns:
    """The 7 R8 children of every hex, parent-major (so sorted like the parents)."""
    n = cells.shape[0]
    out: Columns = {
        "h3_index": np.empty(7 * n, dtype=np.int64),
        "parent_h3": np.repeat(cells, 7),
        "terrain_type": np.empty(0, dtype=object),
        "water_coverage": np.empty(7 * n, dtype=np.float32),
        "broadband": np.empty(7 * n, dtype=bool),
        "surveillance": np.empty(7 * n, dtype=np.float32),
        "elevation_m": np.empty(7 * n, dtype=np.float32),
    }
    codes = np.empty(7 * n, dtype=np.uint8)
    for d in range(7):
        jitter = rng.uniform(-1.0, 1.0, (6, n)).astype(np.float32)
        u = rng.random((4, n), dtype=np.float32)
        small = u[0] < 0.004
        code, elev = _classify(f, jitter, small)
        water = np.where(
            code == _WATER,
            0.85 + 0.15 * u[1],
            np.where(code == _WETLAND, 0.3 + 0.4 * u[1], 0.06 * u[1] ** 3),
        )
        urban = np.clip(urbanness + 0.25 * (code == _URBAN) - 0.2 * (code == _MOUNTAIN), 0, 1)
        out["h3_index"][d::7] = _children(cells, d)
        codes[d::7] = code
        out["water_coverage"][d::7] = water
        out["broadband"][d::7] = u[2] < 0.2 + 0.78 * urban
        out["surveillance"][d::7] = np.clip(0.03 + 0.85 * urban + 0.1 * (u[3] - 0.5), 0, 1)
        out["elevation_m"][d::7] = elev
    out["terrain_type"] = _TERRAIN_OBJ[codes]
    return out


# --------------------------------------------------------------------------
# per tick


def default_active(world: World) -> int:
    """Active hexes per tick: 2% of the hexes, at most 5,000 (CONUS's ~5K)."""
    return max(1, min(5000, math.ceil(0.02 * world.n_hexes)))


@dataclass(frozen=True)
class _Hotspots:
    lat0: Array
    lng0: Array
    vlat: Array
    vlng: Array
    peak: Array
    phase: Array
    period: Array
    radius: int


def _hotspots(world: World, seed: int, active: int) -> _Hotspots:
    rng = np.random.default_rng([world.seed, seed, 0x4075])
    h = int(np.clip(active // 120, 3, 40))
    per = max(active * 0.8 / h, 1.0)
    radius = 0
    while 3 * radius * (radius + 1) + 1 < per:
        radius += 1
    pop = world.hex_map["population"]
    start = rng.choice(world.n_hexes, size=h, replace=False, p=pop / pop.sum())
    lat0, lng0 = world.hex_map["lat"][start], world.hex_map["lng"][start]
    angle = rng.uniform(0.0, 2.0 * math.pi, h)
    # Speed in hex steps per tick: a tenth of a disc radius, a quarter stay put.
    speed = np.where(rng.random(h) < 0.25, 0.0, rng.uniform(0.05, 0.15, h) * max(radius, 1))
    coslat = np.cos(np.radians(lat0))
    return _Hotspots(
        lat0=lat0,
        lng0=lng0,
        vlat=speed * np.sin(angle) * _STEP_DEG,
        vlng=speed * np.cos(angle) * _STEP_DEG / coslat,
        peak=rng.uniform(1.0, 5.0, h),
        phase=rng.uniform(0.0, 2.0 * math.pi, h),
        period=rng.uniform(15.0, 60.0, h),
        radius=radius,
    )


def _bounce(x: Array, lo: float, hi: float) -> Array:
    span = max(hi - lo, 1e-9)
    return lo + span - np.abs(np.mod(x - lo, 2.0 * span) - span)


def _member(world: World, cells: Array) -> Array:
    known = world.hex_map["h3_index"]
    pos = np.minimum(np.searchsorted(known, cells), known.shape[0] - 1)
    found: Array = known[pos] == cells
    return found


def _heat(world: World, tick: int, seed: int, active: int) -> tuple[Array, Array]:
    """Active cells (sorted) and their heat at a tick."""
    hs = _hotspots(world, seed, active)
    lat_lo, lng_lo, lat_hi, lng_hi = world.bbox
    lat = _bounce(hs.lat0 + hs.vlat * tick, lat_lo, lat_hi)
    lng = _bounce(hs.lng0 + hs.vlng * tick, lng_lo, lng_hi)
    known = world.hex_map["h3_index"]
    centres = np.array(
        [
            h3n.latlng_to_cell(a, b, HEX_RES)
            for a, b in zip(lat.tolist(), lng.tolist(), strict=True)
        ],
        dtype=np.uint64,
    ).astype(np.int64)
    outside = np.nonzero(~_member(world, centres))[0]
    if outside.shape[0]:
        p = _unit(world.hex_map["lat"], world.hex_map["lng"])
        q = _unit(lat[outside], lng[outside])
        centres[outside] = known[np.argmax(p @ q.T, axis=0)]
    strength = hs.peak * (0.65 + 0.35 * np.sin(2.0 * math.pi * tick / hs.period + hs.phase))
    parts: list[Array] = []
    heats: list[Array] = []
    for centre, peak in zip(centres.tolist(), strength.tolist(), strict=True):
        for ring in range(hs.radius + 1):
            cells = np.asarray(h3n.grid_ring(centre, ring), dtype=np.uint64).astype(np.int64)
            parts.append(cells)
            falloff = math.exp(-((ring / max(hs.radius, 1)) ** 2) * 1.5)
            heats.append(np.full(cells.shape[0], peak * falloff))
    cells = np.concatenate(parts)
    heat = np.concatenate(heats)
    keep = _member(world, cells)
    cells, inverse = np.unique(cells[keep], return_inverse=True)
    heat = np.bincount(inverse, weights=heat[keep])
    rng = np.random.default_rng([world.seed, seed, tick, 0xB6])
    if cells.shape[0] > active:
        top = np.lexsort((cells, -heat))[:active]
        cells, heat = cells[top], heat[top]
    elif cells.shape[0] < active:
        # Scattered background: quiet hexes with a little heat, drawn per tick.
        extra = rng.permutation(known[~np.isin(known, cells)])[: active - cells.shape[0]]
        cells = np.concatenate([cells, extra])
        heat = np.concatenate([heat, rng.uniform(0.01, 0.3, extra.shape[0])])
    order = np.argsort(cells)
    return cells[order], heat[order]


def activity_for_tick(
    world: World, tick: int, *, seed: int = 0, active: int | None = None
) -> Columns:
    """Sparse hex activity of one tick: ``active`` rows (default :func:`default_active`).

    Columns: ``h3_index`` (sorted, unique, all in ``hex_map``), ``heat`` (>= 0),
    ``heat_delta`` (heat minus the same hex's heat at ``tick - 1``, 0 when it
    was quiet), ``org_count``, ``org_presence`` (0 to 1), ``actions_taken``,
    ``faction_state``, ``faction_capital``, ``faction_labor`` (shares summing
    to 1). Activity sits in a few dozen hotspot discs that drift a fraction of
    a hex per tick (a quarter of them stay put) and pulse in strength.
    """
    if tick < 0:
        raise ValueError(f"tick must be >= 0, got {tick}")
    n_active = default_active(world) if active is None else min(active, world.n_hexes)
    if n_active <= 0:
        raise ValueError(f"active must be positive, got {active}")
    cells, heat = _heat(world, tick, seed, n_active)
    delta = heat.copy()
    if tick > 0:
        prev_cells, prev_heat = _heat(world, tick - 1, seed, n_active)
        pos = np.minimum(np.searchsorted(prev_cells, cells), prev_cells.shape[0] - 1)
        delta -= np.where(prev_cells[pos] == cells, prev_heat[pos], 0.0)
    rng = np.random.default_rng([world.seed, seed, tick, 0xAC7])
    orgs = rng.poisson(1.5 * heat)
    presence = 1.0 - np.exp(-orgs / 4.0)
    actions = rng.poisson(1.0 * heat + 0.5 * orgs)
    g = rng.gamma(np.stack([np.full_like(heat, 3.0), np.full_like(heat, 2.0), 1.0 + heat]))
    shares = g / g.sum(axis=0)
    return {
        "h3_index": cells,
        "heat": heat,
        "heat_delta": delta,
        "org_count": orgs.astype(np.int64),
        "org_presence": presence,
        "actions_taken": actions.astype(np.int64),
        "faction_state": shares[0],
        "faction_capital": shares[1],
        "faction_labor": shares[2],
    }


def _drift(rng: np.random.Generator, k: int, tick: int, scale: float) -> Array:
    """A bounded, random-walk-like drift per county: zero at tick 0, smooth in time."""
    out = np.zeros(k)
    for period in (20.0, 45.0, 100.0, 230.0, 500.0):
        phase = rng.uniform(0.0, 2.0 * math.pi, k)
        amp = scale * math.sqrt(period / 100.0)
        out += amp * (np.sin(2.0 * math.pi * tick / period + phase) - np.sin(phase))
    return out


def territory_for_tick(world: World, tick: int, *, seed: int = 0) -> Columns:
    """County economics of one tick: one row per county, in ``counties`` order.

    Columns: ``county_fips``, ``profit_rate``, ``exploitation_rate``, ``occ``,
    ``imperial_rent``, ``pop_total``, ``mobilizable_pop``, ``dominant_class``,
    ``class_distribution`` (n x 4, :data:`CLASSES` order) and ``value_tensor``
    (n x 12: departments :data:`DEPARTMENTS`, each c, v, s). Each value drifts
    a little from the county's base value (equal to it at tick 0); the same
    ``(world, tick, seed)`` always gives the same rows.
    """
    if tick < 0:
        raise ValueError(f"tick must be >= 0, got {tick}")
    c = world.counties
    k = world.n_counties
    rng = np.random.default_rng([world.seed, seed, 0x7E7])  # phases: the same every tick
    occ = np.clip(c["occ"] * np.exp(_drift(rng, k, tick, 0.03)), 1.0, 8.0)
    expl = np.clip(c["exploitation_rate"] * np.exp(_drift(rng, k, tick, 0.03)), 0.5, 3.0)
    base_ratio = c["profit_rate"] * (1.0 + c["occ"]) / c["exploitation_rate"]
    profit = np.clip(expl / (1.0 + occ) * base_ratio, 0.05, 0.35)
    rent = np.maximum(c["imperial_rent"] * np.exp(_drift(rng, k, tick, 0.03)), 0.0)
    pop = np.rint(c["population"] * np.exp(_drift(rng, k, tick, 0.004))).astype(np.int64)
    dist = c["class_distribution"] * np.exp(_drift(rng, k * 4, tick, 0.03).reshape(k, 4))
    dist /= dist.sum(axis=1, keepdims=True)
    share = np.clip(0.25 + 0.5 * c["urbanness"] + _drift(rng, k, tick, 0.01), 0.05, 0.9)
    mobilizable = np.rint(pop * (dist[:, 0] + dist[:, 3]) * share).astype(np.int64)
    dept = np.random.default_rng([world.seed, 0xDE9]).dirichlet([4.0, 5.0, 1.5, 2.0], k)
    v = pop * 0.045  # wages, millions of dollar-like units per 1,000 people
    per_dept = np.stack([occ * v, v, expl * v], axis=1)  # c, v, s of the county
    tensor = (dept[:, :, None] * per_dept[:, None, :]).reshape(k, 12)
    return {
        "county_fips": c["county_fips"],
        "profit_rate": profit,
        "exploitation_rate": expl,
        "occ": occ,
        "imperial_rent": rent,
        "pop_total": pop,
        "mobilizable_pop": mobilizable,
        "dominant_class": _CLASS_OBJ[np.argmax(dist, axis=1)],
        "class_distribution": dist,
        "value_tensor": tensor,
    }


# --------------------------------------------------------------------------
# rows and views


def rows(
    columns: Mapping[str, Sequence[Any] | Array],
    *,
    fields: Sequence[str] | None = None,
    chunk: int = 65_536,
) -> Iterator[dict[str, Any]]:
    """Rows of a column table as dicts of plain Python values (numpy scalars converted).

    ``fields`` picks and orders the columns (default: all). A 2-D column gives
    each row a list. Columns are converted ``chunk`` rows at a time.
    """
    names = list(columns) if fields is None else list(fields)
    if not names:
        return
    lengths = {len(columns[name]) for name in names}
    if len(lengths) != 1:
        raise ValueError(f"columns differ in length: {sorted(lengths)}")
    n = lengths.pop()
    for start in range(0, n, chunk):
        parts = []
        for name in names:
            part = columns[name][start : start + chunk]
            parts.append(part.tolist() if isinstance(part, np.ndarray) else list(part))
        for values in zip(*parts, strict=True):
            yield dict(zip(names, values, strict=True))


def hex_map_rows(world: World) -> Iterator[dict[str, Any]]:
    """``hex_map`` rows for ``load_hex_map``: ``h3_index``, ``county_fips``, ``resolution``."""
    for row in rows(world.hex_map, fields=("h3_index", "county_fips")):
        row["resolution"] = HEX_RES
        yield row


def substrate_rows(world: World) -> Iterator[dict[str, Any]]:
    """Substrate rows for ``load_hex_substrate`` (``parent_h3`` named ``parent_h3_index``)."""
    names = ("h3_index", "parent_h3", "terrain_type", "water_coverage", "broadband", "surveillance")
    for row in rows(world.substrate, fields=names):
        row["parent_h3_index"] = row.pop("parent_h3")
        yield row


def territory_rows(territory: Mapping[str, Array]) -> Iterator[dict[str, Any]]:
    """Rows for ``write_territory_snapshot`` (``class_distribution`` as a dict)."""
    for row in rows(territory):
        row["class_distribution"] = dict(zip(CLASSES, row["class_distribution"], strict=True))
        yield row


def activity_rows(activity: Mapping[str, Array]) -> Iterator[dict[str, Any]]:
    """Rows for ``write_hex_activity`` (the faction shares folded into ``faction_control``)."""
    for row in rows(activity):
        row["faction_control"] = {
            "state": row.pop("faction_state"),
            "capital": row.pop("faction_capital"),
            "labor": row.pop("faction_labor"),
        }
        yield row


def representative_county(world: World, quantile: float = 0.9) -> str:
    """A county with many hexes: the one whose hex count is nearest that quantile.

    Ties go to the smallest FIPS code. Useful as a one-county viewport.
    """
    counts = world.counties["hex_count"]
    target = float(np.quantile(counts, quantile))
    return str(world.counties["county_fips"][int(np.argmin(np.abs(counts - target)))])


def county_hexes(world: World, county_fips: str) -> Array:
    """The R7 hexes of one county (sorted)."""
    mask = world.hex_map["county_fips"] == county_fips
    hexes: Array = world.hex_map["h3_index"][mask]
    return hexes


def county_bbox(world: World, county_fips: str) -> BBox:
    """``(min_lat, min_lng, max_lat, max_lng)`` of one county's hexes, cells included."""
    mask = world.hex_map["county_fips"] == county_fips
    if not mask.any():
        raise KeyError(county_fips)
    return _bbox(world.hex_map["lat"][mask], world.hex_map["lng"][mask])
