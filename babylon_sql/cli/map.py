"""``babylon-sql map``: draw one composition-view layer of a session as a hex map.

A layer is a column of one of the composition views (``v_hex_economic``,
``v_hex_mobilize``, ``v_hex_heat``, ``v_hex_aid``, ``v_hex_intel``), named
``view.column`` or just ``column`` (the first view that has it). At the tick
``hex_latest`` shows (the default), the view is read as it is; at an earlier
tick the same column comes from :func:`babylon_sql.hex.journal.reconstruct_hex_state`
(the views are projections of ``hex_latest``, which equals the reconstruction
of its tick). The static columns of ``v_hex_aid`` do not change with the tick.

Numbers get a colour scale and a colour bar; text columns (``dominant_class``,
``terrain_type``) and ``faction_control`` (drawn as the faction with the
largest share) get one colour per value and a legend. Hexes are the H3 cell
outlines (``h3.cell_to_boundary``) in one ``PolyCollection``. The PNG's title
names the layer, the session and the tick, and is also stored as the PNG's
``Title`` text field. Needs the ``demo`` extra (matplotlib, h3).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from psycopg import sql

from babylon_sql.catalogue import queries
from babylon_sql.cli.common import emit_json, info, state
from babylon_sql.errors import ConfigurationError, SessionNotFoundError, ValidationError
from babylon_sql.server.connector import Connector

#: Columns of reconstruct_hex_state that differ from the view column of the same meaning.
_RECONSTRUCTED_AS = {"hex_heat": "heat"}
#: Columns that come from the static hex_base (the same at every tick).
_STATIC = frozenset({"internet_access", "terrain_type", "water_coverage"})
_NUMERIC = frozenset({"double precision", "bigint", "integer", "real", "numeric", "smallint"})


@dataclass(frozen=True)
class Layer:
    """The hexes of one layer at one tick."""

    view: str
    column: str
    data_type: str
    session_id: uuid.UUID
    session_name: str | None
    tick: int
    head_tick: int
    values: dict[int, Any]
    """h3_index → value (only hexes the layer has: v_hex_heat is sparse)."""
    background: tuple[int, ...]
    """Every hex of the game (drawn in grey under a sparse layer)."""

    @property
    def numeric(self) -> bool:
        return self.data_type in _NUMERIC

    @property
    def title(self) -> str:
        name = f" ({self.session_name})" if self.session_name else ""
        return f"{self.view}.{self.column} - session {self.session_id}{name} - tick {self.tick}"


def layer_columns(db: Connector) -> dict[str, dict[str, str]]:
    """view → {column → data type} of the composition views in this database."""
    out: dict[str, dict[str, str]] = {}
    with db.transaction() as conn:
        for view, column, data_type in queries("pg").demo.composition_columns(conn):
            out.setdefault(view, {})[column] = data_type
    return out


def resolve_layer(columns: Mapping[str, Mapping[str, str]], spec: str) -> tuple[str, str, str]:
    """``(view, column, data type)`` of ``view.column`` or ``column`` (ValidationError if none)."""
    if not columns:
        raise ConfigurationError(
            "this database has no composition views (v_hex_*): apply the schema with "
            "`babylon-sql schema apply`"
        )
    view, _, column = spec.rpartition(".")
    for name, cols in columns.items():
        if (not view or view == name) and column in cols:
            return name, column, cols[column]
    known = ", ".join(f"{v}.{c}" for v, cols in columns.items() for c in cols)
    raise ValidationError(f"no layer {spec!r}; the composition views have: {known}")


def _select(db: Connector, view: str, column: str, game_id: uuid.UUID) -> list[tuple[Any, ...]]:
    query = queries("pg").demo.select_layer
    statement = sql.SQL(query.sql).format(view=sql.Identifier(view), column=sql.Identifier(column))
    with db.transaction() as conn:
        return list(conn.execute(statement, {"game_id": game_id}).fetchall())


def read_layer(
    db: Connector, spec: str, *, session_id: uuid.UUID | str | None = None, tick: int | None = None
) -> Layer:
    """The values of one layer for a session (default: the newest seeded one) at ``tick``."""
    from babylon_sql.hex.journal import reconstruct_hex_state
    from babylon_sql.input.fields import check_session_id, check_tick

    sid = None if session_id is None else check_session_id(session_id)
    view, column, data_type = resolve_layer(layer_columns(db), spec)
    with db.transaction() as conn:
        found = queries("pg").demo.latest_hex_session(conn, game_id=sid)
    if found is None:
        which = f"session {sid} has" if sid else "no session has"
        raise SessionNotFoundError(
            f"{which} a hex map (hex_latest is seeded by the hex journal); "
            "run `babylon-sql demo` first, or name a session with --session"
        )
    game_id, head, name = uuid.UUID(str(found[0])), int(found[1]), found[2]
    t = head if tick is None else check_tick(tick)
    if t > head:
        raise ValidationError(f"tick {t} is after the latest refreshed tick {head} of {game_id}")
    background = tuple(int(r[0]) for r in _select(db, "v_hex_economic", "heat", game_id))
    if t == head or column in _STATIC:
        values = {int(h): v for h, v, _t in _select(db, view, column, game_id)}
    else:
        key = _RECONSTRUCTED_AS.get(column, column)
        rows = reconstruct_hex_state(db, game_id, t)
        if view == "v_hex_heat":  # the view holds only hexes with heat
            rows = [r for r in rows if r["heat"] > 0]
        values = {int(r["h3_index"]): r[key] for r in rows}
    return Layer(view, column, data_type, game_id, name, t, head, values, background)


def _category(value: Any) -> str | None:
    if isinstance(value, Mapping):  # faction_control: the faction with the largest share
        shares = {k: v for k, v in value.items() if isinstance(v, int | float)}
        return max(shares, key=lambda k: shares[k]) if shares else None
    return None if value is None else str(value)


def _polygons(cells: Sequence[int]) -> list[list[tuple[float, float]]]:
    import h3.api.basic_int as h3i

    return [[(lng, lat) for lat, lng in h3i.cell_to_boundary(cell)] for cell in cells]


def render_map(layer: Layer, out: Path, *, dpi: int = 110) -> Path:
    """Draw ``layer`` into a PNG at ``out``; returns the path."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import PolyCollection
        from matplotlib.patches import Patch
    except ImportError as exc:
        raise ConfigurationError(
            "babylon-sql map needs matplotlib: pip install 'babylon-sql[demo]'"
        ) from exc

    cells = list(layer.values)
    polys = _polygons(cells)
    rest = [c for c in layer.background if c not in layer.values]
    lats = [poly[0][1] for poly in polys] or [0.0]
    mean_lat = sum(lats) / len(lats)
    # Hexes fewer than a few pixels wide: outlines would only cost time.
    small = len(polys) + len(layer.background) > 20_000
    edge = {"linewidths": 0, "antialiased": False} if small else {"linewidths": 0.2}
    fig, ax = plt.subplots(figsize=(9.0, 7.0), dpi=dpi)
    if rest:
        ax.add_collection(
            PolyCollection(_polygons(rest), facecolors="#e6e6e6", edgecolors="none", **edge)
        )
    if layer.numeric:
        values = [float(v) if v is not None else math.nan for v in layer.values.values()]
        coll = PolyCollection(polys, array=values, cmap="viridis", edgecolors="face", **edge)
        ax.add_collection(coll)
        bar = fig.colorbar(coll, ax=ax, shrink=0.8)
        bar.set_label(layer.column)
    else:
        labels = [_category(v) for v in layer.values.values()]
        kinds = sorted({lab for lab in labels if lab is not None})
        cmap = plt.get_cmap("tab10")
        colour = {k: cmap(i % 10) for i, k in enumerate(kinds)}
        faces = [colour[lab] if lab is not None else "#bbbbbb" for lab in labels]
        ax.add_collection(PolyCollection(polys, facecolors=faces, edgecolors=faces, **edge))
        ax.legend(
            handles=[Patch(color=colour[k], label=k) for k in kinds],
            title=layer.column,
            loc="lower left",
            fontsize="small",
        )
    ax.autoscale_view()
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 0.1))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(layer.title, fontsize="medium")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="png", metadata={"Title": layer.title})
    plt.close(fig)
    return out


@click.command("map")
@click.option(
    "--layer",
    default="v_hex_economic.profit_rate",
    show_default=True,
    help="A composition-view column: view.column or column (e.g. heat, dominant_class).",
)
@click.option("--tick", type=click.IntRange(min=0), help="Tick to draw (default: the latest).")
@click.option("--session", "session_id", help="Session id (default: the newest with a hex map).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("map.png"),
    show_default=True,
    help="PNG file to write.",
)
@click.option(
    "--dpi",
    type=click.IntRange(min=20, max=600),
    default=110,
    show_default=True,
    help="Resolution of the 9 x 7 inch image.",
)
@click.pass_context
def map_command(
    ctx: click.Context,
    layer: str,
    tick: int | None,
    session_id: str | None,
    out: Path,
    dpi: int,
) -> None:
    """Draw one composition-view layer of a session as a hex map (PNG)."""
    from babylon_sql.server.pool import open_pool

    db = Connector(open_pool(state(ctx).dsn, min_size=1, max_size=2), name="babylon-sql map")
    try:
        found = read_layer(db, layer, session_id=session_id, tick=tick)
    finally:
        db.close()
    render_map(found, out, dpi=dpi)
    if state(ctx).json:
        emit_json(
            {
                "out": out.resolve(),
                "title": found.title,
                "session_id": found.session_id,
                "tick": found.tick,
                "hexes": len(found.values),
            }
        )
        return
    info(f"{len(found.values):,} hexes drawn")
    click.echo(str(out))
