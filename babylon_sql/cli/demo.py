"""``babylon-sql demo``: a simulation's record at national scale, end to end.

``scripts/demo`` prepares the virtualenv and calls this command. It:

1. connects: with no configuration to the embedded PostgreSQL 18, in a
   database of its own per scale (``babylon_demo_<scale>``, created on first
   use); with ``--dsn`` (or ``BABYLON_DSN``, or the ``PG*`` variables) to that
   database, unchanged;
2. applies the schema (idempotent; layers whose extension is missing are
   skipped, said once per server);
3. generates a world with :func:`babylon_sql.hex.world.generate_world` and
   loads its ``hex_map`` and R8 ``hex_substrate``; a database that already
   holds this world keeps it (the static hex tables are shared by every
   session of a database);
4. creates a session (replacing the previous demo session of the same scale
   in that database, unless ``--keep``) with its own trace partition;
5. runs the ticks: each tick's county economics go to ``territory_snapshot``;
   the state (a county graph, events, the tick's sparse hex activity, a tick
   summary) goes through :class:`~babylon_sql.observer.PersistenceObserver`
   into :class:`~babylon_sql.runtime.postgres.PostgresRuntime`, with the
   traces a :class:`~babylon_sql.traces.store.TraceRecorder` kept at the
   chosen level; then ``refresh_hex_latest`` brings the cache to the tick;
6. reconstructs a past tick from the journals and compares it, hex by hex,
   with the cache as it stood at that tick (kept when the run passed it);
7. exports the session to Parquet and queries the files with DuckDB,
   checking them against what was written;
8. records the run as a game in a DuckDB ``GameRepository`` file;
9. draws a map (``babylon-sql map``'s renderer) and prints a report: time
   per phase, storage per table beside the design's budget, where every file
   is, how to open the database in ``psql`` and how to remove what it made.

The dynamics are simple but plausible: counties drift in their economics
(:func:`~babylon_sql.hex.world.territory_for_tick`), unrest moves in hotspot
discs of hexes (:func:`~babylon_sql.hex.world.activity_for_tick`), a county's
heat is the sum over its active hexes, rent flows from each county to its
three nearest neighbours, and an "organiser" agent moves its focus to the
hottest county (its proposals are the game's policy iterations).
"""

from __future__ import annotations

import json
import math
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import networkx as nx
import numpy as np
import psycopg

from babylon_sql.catalogue import queries
from babylon_sql.cli.common import (
    emit_json,
    first_time,
    human_bytes,
    info,
    progress,
    server_key,
    session_rows,
    state,
    table,
    warn,
)
from babylon_sql.errors import BabylonSqlError, ConfigurationError
from babylon_sql.protocols import TraceLevel
from babylon_sql.server.connector import Connector

SCALES = ("city", "state", "region", "conus")
#: The default scale: the design's budget size (245K hexes, ~5K active per tick);
#: about a minute and a half on a 2-core machine (see the README).
DEFAULT_SCALE = "region"
SESSION_NAME = "babylon-sql demo"
_WORLD_KEY = "babylon_sql.demo.world"

#: The design's storage budget for CONUS at R7 (rows, bytes) per tick, and for
#: the static tables once.
BUDGET_PER_TICK: Mapping[str, tuple[int, int]] = {
    "territory_snapshot": (3_100, 770_000),
    "hex_activity": (5_000, 200_000),
}
BUDGET_STATIC: Mapping[str, tuple[int, int]] = {
    "hex_substrate": (1_700_000, 300_000_000),
    "hex_latest": (243_000, 30_000_000),
}
#: Tables whose size the report shows besides the session's tables.
_STATIC_TABLES = ("hex_map", "hex_substrate", "hex_base", "hex_county_latest")


# --------------------------------------------------------------------------
# small helpers


@dataclass
class Phases:
    """Wall time per phase, in order."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 10

    @contextmanager
    def phase(self, name: str, what: str) -> Iterator[dict[str, Any]]:
        info(f"[{len(self.rows) + 1}/{self.total}] {what}")
        note: dict[str, Any] = {"note": ""}
        start = time.perf_counter()
        yield note
        self.rows.append(
            {"phase": name, "seconds": round(time.perf_counter() - start, 3), "note": note["note"]}
        )


def redact(dsn: str) -> str:
    """A DSN without its password (``""`` means the libpq ``PG*`` variables)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    if not dsn:
        return ""
    params = conninfo_to_dict(dsn)
    if "password" not in params:
        return dsn
    params.pop("password")
    return make_conninfo("", **params)


# --------------------------------------------------------------------------
# the simulation


@dataclass
class DemoState:
    """One tick's state, in the shape PersistenceObserver reads."""

    tick: int
    graph: nx.DiGraph[Any]
    events: list[dict[str, Any]]
    hex_activity: list[dict[str, Any]]
    tick_summary: dict[str, Any]
    territory: dict[str, Any]
    focus: str
    focus_heat: float


class Simulation:
    """Counties as a graph, unrest as hex activity, an organiser following the heat."""

    def __init__(self, world: Any, seed: int, tracer: Any) -> None:
        self.world = world
        self.seed = seed
        self.tracer = tracer
        c = world.counties
        self.fips: list[str] = [str(f) for f in c["county_fips"].tolist()]
        lat, lng = c["lat"], c["lng"]
        k = min(3, len(self.fips) - 1)
        x = np.stack([lat, lng * np.cos(np.radians(lat))], axis=1)
        d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
        np.fill_diagonal(d, np.inf)
        self.neighbours = np.argsort(d, axis=1)[:, :k] if k > 0 else np.zeros((len(lat), 0), int)
        self.lat = lat.tolist()
        self.lng = lng.tolist()

    def step(self, tick: int) -> DemoState:
        from babylon_sql.hex.world import activity_for_tick, activity_rows, territory_for_tick

        w = self.world
        terr = territory_for_tick(w, tick, seed=self.seed)
        act = activity_for_tick(w, tick, seed=self.seed)
        pos = np.searchsorted(w.hex_map["h3_index"], act["h3_index"])
        county_of = w.hex_map["county_index"][pos]
        n = len(self.fips)
        heat = np.bincount(county_of, weights=act["heat"], minlength=n)
        orgs = np.bincount(county_of, weights=act["org_count"], minlength=n)
        hot = int(np.argmax(heat))

        graph: nx.DiGraph[Any] = nx.DiGraph(
            economy={
                "population": int(terr["pop_total"].sum()),
                "mean_profit_rate": float(np.mean(terr["profit_rate"])),
                "imperial_rent": float(np.sum(terr["imperial_rent"] * terr["pop_total"])),
            },
            tick_dynamics={"total_heat": float(heat.sum()), "active_hexes": len(pos)},
            scale=w.scale,
        )
        classes = terr["dominant_class"].tolist()
        for i, fips in enumerate(self.fips):
            graph.add_node(
                fips,
                node_type="county",
                lat=self.lat[i],
                lng=self.lng[i],
                population=int(terr["pop_total"][i]),
                mobilizable=int(terr["mobilizable_pop"][i]),
                profit_rate=float(terr["profit_rate"][i]),
                exploitation_rate=float(terr["exploitation_rate"][i]),
                imperial_rent=float(terr["imperial_rent"][i]),
                dominant_class=classes[i],
                heat=float(heat[i]),
                organisations=int(orgs[i]),
            )
        rent = terr["imperial_rent"]
        for i, row in enumerate(self.neighbours.tolist()):
            for j in row:
                flow = float(max(rent[j] - rent[i], 0.0) * 0.01)
                graph.add_edge(self.fips[i], self.fips[j], edge_type="rent_flow", flow=flow)

        order = np.argsort(-act["heat_delta"], kind="stable")[:10]
        events = [
            {
                "type": "flare_up",
                "h3_index": int(act["h3_index"][i]),
                "county_fips": self.fips[int(county_of[i])],
                "heat": float(act["heat"][i]),
                "heat_delta": float(act["heat_delta"][i]),
            }
            for i in order.tolist()
            if act["heat_delta"][i] > 0.5
        ]
        summary = {
            "active_hexes": len(pos),
            "total_heat": float(act["heat"].sum()),
            "population": int(terr["pop_total"].sum()),
            "mobilizable": int(terr["mobilizable_pop"].sum()),
            "mean_profit_rate": float(np.mean(terr["profit_rate"])),
            "hottest_county": self.fips[hot],
            "flare_ups": len(events),
        }
        self._trace(tick, summary, heat, act, county_of)
        return DemoState(
            tick=tick,
            graph=graph,
            events=events,
            hex_activity=list(activity_rows(act)),
            tick_summary=summary,
            territory=terr,
            focus=self.fips[hot],
            focus_heat=float(heat[hot]),
        )

    def _trace(
        self, tick: int, summary: Mapping[str, Any], heat: Any, act: Any, county_of: Any
    ) -> None:
        tr = self.tracer
        tr.trace("economy", "tick_summary", dict(summary), level=TraceLevel.SUMMARY)
        if tr.level >= TraceLevel.DEBUG:
            for i in np.nonzero(heat)[0].tolist():
                tr.trace(
                    "unrest",
                    "county_heat",
                    {"tick": tick, "heat": float(heat[i])},
                    level=TraceLevel.DEBUG,
                    node_id=self.fips[i],
                )
        if tr.level >= TraceLevel.TRACE:
            h3s, heats = act["h3_index"].tolist(), act["heat"].tolist()
            for h, value, c in zip(h3s, heats, county_of.tolist(), strict=True):
                tr.trace(
                    "unrest",
                    "hex_heat",
                    {"h3_index": h, "heat": value},
                    level=TraceLevel.TRACE,
                    node_id=self.fips[c],
                )


# --------------------------------------------------------------------------
# phases


def _target(dsn: str | None, scale: str) -> tuple[str, str | None, bool]:
    """(DSN, database the demo owns or None, whether it was created now)."""
    from babylon_sql.server.admin import create_database
    from babylon_sql.server.embedded import embedded_dsn, resolve_dsn, uses_embedded

    if not uses_embedded(dsn):
        return resolve_dsn(dsn), None, False
    name = f"babylon_demo_{scale}"
    with psycopg.connect(embedded_dsn("postgres"), autocommit=True) as conn:
        try:
            create_database(conn, name)
            created = True
        except psycopg.errors.DuplicateDatabase:
            created = False
    return embedded_dsn(name), name, created


def _apply_schema(db: Connector) -> tuple[str, list[str]]:
    from babylon_sql.server.schema import apply_schema

    with db.connection() as conn:
        report = apply_schema(conn, warn=False)
        key = server_key(conn)
    if report.skipped:
        lacking = sorted({r for reqs in report.skipped.values() for r in reqs})
        if first_time(f"skipped:{','.join(lacking)}@{key}"):
            warn(
                f"this server lacks {', '.join(lacking)}: skipped "
                f"{', '.join(report.skipped_objects)} (the demo does not need them). "
                "Shown once per server."
            )
    note = f"{len(report.applied)} layers"
    if report.skipped:
        note += f", skipped {', '.join(report.skipped)}"
    return note, list(report.skipped_objects)


def _world_key(scale: str, seed: int, world: Any) -> str:
    return json.dumps(
        {
            "scale": scale,
            "seed": seed,
            "hexes": world.n_hexes,
            "counties": world.n_counties,
            "substrate": 7 * world.n_hexes,
        },
        sort_keys=True,
    )


def _load_world(db: Connector, runtime: Any, scale: str, seed: int) -> tuple[Any, str, bool]:
    """The world, a note, and whether it was loaded now (False: reused)."""
    from babylon_sql.hex.journal import load_hex_map, load_hex_substrate
    from babylon_sql.hex.world import generate_world, hex_map_rows, substrate_rows

    world = generate_world(scale, seed=seed, substrate=False)  # type: ignore[arg-type]
    key = _world_key(scale, seed, world)
    with db.transaction() as conn:
        hex_rows, sub_rows = queries("pg").demo.hex_static_counts(conn)
    expected = (world.n_hexes, 7 * world.n_hexes)
    stored = runtime.get_metadata(_WORLD_KEY)
    if stored == key and (hex_rows, sub_rows) == expected:
        return world, f"reused {hex_rows:,} hexes, {sub_rows:,} substrate rows", False
    if hex_rows or sub_rows:
        raise ConfigurationError(
            f"this database's hex_map already holds another world ({hex_rows:,} hexes, "
            f"{sub_rows:,} substrate rows; the demo's {scale} world has {expected[0]:,}). "
            "The static hex tables are shared by every session of a database: run the demo "
            "on a fresh database (--dsn naming another dbname), or without --dsn (it then "
            "uses a database of its own per scale)"
        )
    full = generate_world(scale, seed=seed, substrate=True)  # type: ignore[arg-type]
    load_hex_map(db, hex_map_rows(full))
    load_hex_substrate(db, substrate_rows(full))
    runtime.set_metadata(_WORLD_KEY, key)
    return full, f"loaded {expected[0]:,} hexes, {expected[1]:,} substrate rows", True


def _previous_sessions(db: Connector, scale: str) -> list[uuid.UUID]:
    with db.transaction() as conn:
        rows = queries("pg").demo.demo_sessions(conn, name=SESSION_NAME, scale=scale)
        return [uuid.UUID(str(r[0])) for r in rows]


def _cache_rows(db: Connector, game_id: uuid.UUID) -> list[dict[str, Any]]:
    from babylon_sql.hex.journal import HEX_STATE_FIELDS

    with db.transaction() as conn:
        rows = queries("pg").demo.hex_latest_rows(conn, game_id=game_id)
        return [dict(zip(HEX_STATE_FIELDS, row, strict=True)) for row in rows]


def _differences(cache: Sequence[Mapping[str, Any]], rebuilt: Sequence[Mapping[str, Any]]) -> int:
    if len(cache) != len(rebuilt):
        return abs(len(cache) - len(rebuilt)) or 1
    return sum(1 for a, b in zip(cache, rebuilt, strict=True) if dict(a) != dict(b))


def _record_game(
    path: Path,
    session_id: uuid.UUID,
    scale: str,
    seed: int,
    started: datetime,
    states: Sequence[DemoState],
    config: Mapping[str, Any],
) -> int:
    from babylon_sql.games import DatabaseManager, GameRepository
    from babylon_sql.games.repository import GameSessionRecord, PolicyIterationRecord

    iterations = []
    focus, cost = states[0].focus, 1.0 / (1.0 + states[0].focus_heat)
    for number, st in enumerate(states[1:], start=1):
        new_cost = 1.0 / (1.0 + st.focus_heat)
        iterations.append(
            PolicyIterationRecord(
                game_id=str(session_id),
                agent_id="organiser",
                iteration_number=number,
                trigger_tick=st.tick,
                old_policy_json=json.dumps({"focus_county": focus}),
                new_policy_json=json.dumps({"focus_county": st.focus}),
                old_cost=cost,
                new_cost=new_cost,
                cost_improvement=cost - new_cost,
                was_accepted=new_cost <= cost,
                validation_errors=[],
                llm_model="rule: follow the heat",
                llm_latency_seconds=0.0,
                tokens_used=0,
            )
        )
        if new_cost <= cost:
            focus, cost = st.focus, new_cost
    accepted = [it for it in iterations if it.was_accepted]
    session = GameSessionRecord(
        game_id=str(session_id),
        scenario_config=f"hex world {scale}, seed {seed}",
        master_seed=seed,
        game_mode="campaign_learning",
        config_json=json.dumps(dict(config)),
        started_at=started,
        status="completed",
        optimized_agents=["organiser"],
        completed_at=datetime.now(UTC),
        total_iterations=len(iterations),
        converged=False,
        final_cost=min((it.new_cost for it in accepted), default=cost),
    )
    with DatabaseManager(path) as manager:
        repo = GameRepository(manager.conn)
        repo.initialize_schema()
        repo.save_game_session(session)
        repo.save_policy_iterations(iterations)
    return len(iterations)


def _storage(db: Connector, session_id: uuid.UUID, ticks: int, world: Any) -> list[dict[str, Any]]:
    rows = session_rows(db, session_id)
    names = sorted({*rows, *_STATIC_TABLES})
    with db.transaction() as conn:
        sizes = {
            name: (int(total), int(est))
            for name, total, est in queries("pg").demo.table_sizes(conn, names=names)
        }
    out: list[dict[str, Any]] = []
    for name in names:
        n, data = rows.get(name, (0, 0))
        on_disk, estimated = sizes.get(name, (0, 0))
        entry: dict[str, Any] = {
            "table": name,
            "session_rows": n if name in rows else None,
            "session_bytes": data if name in rows else None,
            "table_rows": estimated,
            "on_disk_bytes": on_disk,
            "per_tick_bytes": data / ticks if name in rows and ticks else None,
            "budget_per_tick_bytes": None,
            "budget_bytes": None,
        }
        if name in BUDGET_PER_TICK and name in rows:
            b_rows, b_bytes = BUDGET_PER_TICK[name]
            entry["budget_per_tick_bytes"] = n / ticks * b_bytes / b_rows if ticks else None
        if name == "hex_substrate":
            b_rows, b_bytes = BUDGET_STATIC["hex_substrate"]
            entry["budget_bytes"] = estimated * b_bytes / b_rows
        if name == "hex_base":  # hex_latest's static part; the design's hex_latest table
            b_rows, b_bytes = BUDGET_STATIC["hex_latest"]
            entry["budget_bytes"] = world.n_hexes * b_bytes / b_rows
        out.append(entry)
    return out


# --------------------------------------------------------------------------
# the command


def run_demo(
    *,
    dsn: str | None,
    scale: str,
    ticks: int,
    seed: int,
    trace_level: str,
    out_dir: Path | None,
    layer: str,
    keep: bool,
) -> dict[str, Any]:
    """Run the demo; returns the report (also written to ``report.json``)."""
    from babylon_sql.archive.pipeline import export_session_to_parquet, query_archived_session
    from babylon_sql.cli.map import read_layer, render_map
    from babylon_sql.hex.journal import (
        seed_hex_latest,
        write_hex_activity,
        write_territory_snapshot,
    )
    from babylon_sql.hex.world import territory_rows
    from babylon_sql.observer import PersistenceObserver
    from babylon_sql.runtime.postgres import PostgresRuntime
    from babylon_sql.server.embedded import babylon_home, uses_embedded
    from babylon_sql.server.pool import open_pool
    from babylon_sql.traces.store import TraceRecorder

    try:
        import h3  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ConfigurationError(
            f"babylon-sql demo needs the demo extra ({exc.name} is missing): "
            "pip install 'babylon-sql[demo]' (scripts/demo installs it)"
        ) from exc
    out = (out_dir or babylon_home() / "demo" / scale).resolve()
    out.mkdir(parents=True, exist_ok=True)
    phases = Phases()
    report: dict[str, Any] = {"scale": scale, "ticks": ticks, "seed": seed}
    embedded = uses_embedded(dsn)

    with phases.phase("server", "connecting to PostgreSQL") as note:
        target, own_db, created = _target(dsn, scale)
        note["note"] = (
            f"embedded PostgreSQL 18, database {own_db}" + (" (created)" if created else "")
            if embedded
            else "the configured server"
        )
        pool = open_pool(target, min_size=1, max_size=4)
    runtime = PostgresRuntime(pool)
    db = runtime.connector
    try:
        with db.transaction() as conn:
            report["server_version"] = conn.info.server_version
        with phases.phase("schema", "applying the schema") as note:
            note["note"], _skipped = _apply_schema(db)

        with phases.phase("world", f"generating the {scale} world and loading its hexes") as note:
            world, note["note"], _loaded = _load_world(db, runtime, scale, seed)
        report["world"] = {
            "hexes": world.n_hexes,
            "counties": world.n_counties,
            "substrate_rows": 7 * world.n_hexes,
            "active_hexes_per_tick": None,
        }

        with phases.phase("session", "creating the session") as note:
            replaced = [] if keep else _previous_sessions(db, scale)
            for old in replaced:
                runtime.delete_session(old)
            config = {
                "source": "babylon-sql demo",
                "scale": scale,
                "seed": seed,
                "ticks": ticks,
                "trace_level": trace_level,
            }
            sid = runtime.create_session(SESSION_NAME, config)
            runtime.create_session_partition(sid)
            note["note"] = f"{sid}" + (f", replaced {len(replaced)} earlier" if replaced else "")
        report["session_id"] = str(sid)
        report["replaced_sessions"] = [str(s) for s in replaced]

        level = TraceLevel[trace_level.upper()]
        tracer = TraceRecorder(level, runtime)
        observer = PersistenceObserver(runtime, sid, tracer)
        sim = Simulation(world, seed, tracer)
        check_tick = ticks // 2
        timings = {
            "simulate": 0.0,
            "territory": 0.0,
            "observer": 0.0,
            "seed": 0.0,
            "refresh": 0.0,
            "cache copy": 0.0,
        }
        phase1: list[float] = []
        phase2: list[float] = []
        states: list[DemoState] = []
        cache_at_check: list[dict[str, Any]] = []
        started = datetime.now(UTC)

        def timed(name: str, start: float) -> float:
            now = time.perf_counter()
            timings[name] += now - start
            return now

        with phases.phase("ticks", f"running {ticks} ticks after tick 0") as note:
            t0 = time.perf_counter()
            st = sim.step(0)
            t0 = timed("simulate", t0)
            write_territory_snapshot(db, sid, 0, territory_rows(st.territory))
            write_hex_activity(db, sid, 0, st.hex_activity)
            t0 = timed("territory", t0)
            observer.on_simulation_start(st, config)
            t0 = timed("observer", t0)
            seed_hex_latest(db, sid)
            t0 = timed("seed", t0)
            states.append(_light(st))
            if check_tick == 0:
                cache_at_check = _cache_rows(db, sid)
                timed("cache copy", t0)
            with progress(range(1, ticks + 1), length=ticks, label="ticks") as bar:
                for tick in bar:
                    t0 = time.perf_counter()
                    new = sim.step(tick)
                    t0 = timed("simulate", t0)
                    write_territory_snapshot(db, sid, tick, territory_rows(new.territory))
                    write_hex_activity(db, sid, tick, new.hex_activity)
                    t0 = timed("territory", t0)
                    observer.on_tick(st, new)
                    t0 = timed("observer", t0)
                    refreshed = runtime.refresh_hex_latest(sid, tick)
                    t0 = timed("refresh", t0)
                    phase1.append(refreshed.phase1_ms)
                    phase2.append(refreshed.phase2_ms)
                    if tick == check_tick:
                        cache_at_check = _cache_rows(db, sid)
                        timed("cache copy", t0)
                    states.append(_light(new))
                    st = new
            observer.on_simulation_end(st)
            note["note"] = ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
        report["world"]["active_hexes_per_tick"] = states[-1].tick_summary["active_hexes"]
        report["tick_timings_s"] = {k: round(v, 3) for k, v in timings.items()}
        report["refresh_ms"] = {
            "phase1_median": _median(phase1),
            "phase2_median": _median(phase2),
        }

        with phases.phase("reconstruct", f"reconstructing tick {check_tick}") as note:
            rebuilt = runtime.reconstruct_hex_state(sid, check_tick)
            diffs = _differences(cache_at_check, rebuilt)
            note["note"] = (
                f"{len(rebuilt):,} hexes equal to the cache at tick {check_tick}"
                if not diffs
                else f"{diffs:,} of {len(rebuilt):,} hexes DIFFER"
            )
        report["reconstruct"] = {"tick": check_tick, "hexes": len(rebuilt), "differences": diffs}
        if diffs:
            raise BabylonSqlError(
                f"reconstruct_hex_state({check_tick}) differs from hex_latest as it stood at "
                f"tick {check_tick} in {diffs} hexes: please report this"
            )

        archive_root = out / "archive"
        with phases.phase("archive", "exporting the session to Parquet, querying it") as note:
            files = export_session_to_parquet(db, sid, archive_root)
            totals = query_archived_session(
                archive_root / str(sid), queries("duckdb").demo.archive_tick_totals.sql
            )
            ok = len(totals) == len(states) and all(
                row["active_hexes"] == s.tick_summary["active_hexes"]
                and math.isclose(row["total_heat"], s.tick_summary["total_heat"], rel_tol=1e-9)
                for row, s in zip(totals, states, strict=False)
            )
            size = sum(Path(f).stat().st_size for f in files)
            note["note"] = (
                f"{len(files) - 1} Parquet files, {human_bytes(size)}; DuckDB read "
                f"{len(totals)} ticks back " + ("(match)" if ok else "(MISMATCH)")
            )
        report["archive"] = {
            "dir": archive_root / str(sid),
            "files": len(files),
            "bytes": size,
            "duckdb_ticks": len(totals),
            "matches": ok,
        }
        if not ok:
            raise BabylonSqlError("the Parquet archive read back by DuckDB differs from the run")

        games_path = out / "games.duckdb"
        with phases.phase("games", "recording the run in DuckDB (GameRepository)") as note:
            count = _record_game(games_path, sid, scale, seed, started, states, config)
            note["note"] = f"{count} policy iterations"
        report["games"] = {"file": games_path, "game_id": str(sid), "iterations": count}

        map_path = out / "map.png"
        with phases.phase("map", f"drawing {layer}") as note:
            found = read_layer(db, layer, session_id=sid)
            render_map(found, map_path)
            note["note"] = f"{len(found.values):,} hexes"
        report["map"] = {"file": map_path, "layer": layer, "title": found.title}

        with phases.phase("report", "measuring storage") as note:
            report["storage"] = _storage(db, sid, ticks + 1, world)
            note["note"] = f"{len(report['storage'])} tables"
    finally:
        runtime.close()

    report["phases"] = phases.rows
    report["total_seconds"] = round(sum(p["seconds"] for p in phases.rows), 3)
    report["database"] = own_db
    report["dsn"] = redact(target)
    report["embedded"] = embedded
    report["out_dir"] = out
    report["psql"] = _psql_hint(target, embedded)
    report["remove"] = _removal(out, sid, own_db, embedded, dsn)
    (out / "report.json").write_text(
        json.dumps(report, default=str, indent=2) + "\n", encoding="utf-8"
    )
    report["report_file"] = out / "report.json"
    return report


def _light(st: DemoState) -> DemoState:
    """The state without its big parts (kept for the report and the game record)."""
    return DemoState(st.tick, nx.DiGraph(), [], [], st.tick_summary, {}, st.focus, st.focus_heat)


def _median(values: Sequence[float]) -> float | None:
    return round(float(np.median(values)), 2) if values else None


def _psql_hint(dsn: str, embedded: bool) -> str:
    from babylon_sql.server.embedded import pg_bin

    psql = shutil.which("psql") or (str(pg_bin("psql")) if embedded else "psql")
    shown = redact(dsn)
    return f"{psql} '{shown}'" if shown else psql


def _removal(
    out: Path, sid: uuid.UUID, own_db: str | None, embedded: bool, dsn: str | None
) -> list[str]:
    from babylon_sql.server.embedded import babylon_home

    steps = [f"rm -rf '{out}'   # the archive, games.duckdb, map.png, report.json"]
    if embedded and own_db:
        steps.append(
            f"babylon-sql server start && babylon-sql sessions delete {sid} --yes "
            f"--dsn '{_embedded_db_dsn(own_db)}'   # this session only"
        )
        steps.append(
            f"babylon-sql server stop && rm -rf '{babylon_home()}'   "
            "# the embedded server with every database it holds"
        )
    else:
        steps.append(
            f"babylon-sql sessions delete {sid} --yes   # with the same --dsn; hex_map and "
            "hex_substrate stay (static, shared by every session)"
        )
    return steps


def _embedded_db_dsn(database: str) -> str:
    from babylon_sql.server.embedded import embedded_data_dir

    return f"postgresql://postgres:@/{database}?host={embedded_data_dir()}"


def print_report(report: Mapping[str, Any]) -> None:
    """The report as text on stdout."""
    w = report["world"]
    click.echo()
    click.echo(
        f"babylon-sql demo: {report['scale']} world, {w['hexes']:,} hexes, "
        f"{w['counties']:,} counties, {report['ticks']} ticks after tick 0, "
        f"{report['total_seconds']:.1f} s"
    )
    click.echo(f"session {report['session_id']}")
    click.echo()
    table(
        ["phase", "seconds", "what happened"],
        [[p["phase"], p["seconds"], p["note"]] for p in report["phases"]],
    )
    r = report["refresh_ms"]
    if r["phase1_median"] is not None:
        click.echo(
            f"refresh_hex_latest per tick (median): phase 1 {r['phase1_median']} ms, "
            f"phase 2 {r['phase2_median']} ms"
        )
    click.echo()
    click.echo("storage (this session's row data; table sizes include every session and index):")
    rows = []
    for s in report["storage"]:
        if not s["session_rows"] and s["table"] not in _STATIC_TABLES:
            continue
        budget = s["budget_per_tick_bytes"] or s["budget_bytes"]
        measured = s["per_tick_bytes"] if s["budget_per_tick_bytes"] else s["on_disk_bytes"]
        rows.append(
            [
                s["table"],
                s["session_rows"] if s["session_rows"] is not None else s["table_rows"],
                human_bytes(s["session_bytes"]) if s["session_bytes"] is not None else "-",
                human_bytes(s["per_tick_bytes"]) if s["per_tick_bytes"] is not None else "-",
                human_bytes(s["on_disk_bytes"]),
                human_bytes(budget) if budget else "-",
                f"{measured / budget:.2f}" if budget and measured else "-",
            ]
        )
    table(
        ["table", "rows", "row data", "per tick", "on disk", "design budget", "ratio"],
        rows,
    )
    click.echo(
        "design budget: territory_snapshot ~770 kB and hex_activity ~200 kB per tick "
        "for 3,100 / 5,000 rows, hex_substrate ~300 MB for 1.7M rows, hex_latest ~30 MB "
        "for 243K hexes, scaled to this world's rows (ratio: measured / budget; per tick "
        "for the journals, on disk for the static tables)"
    )
    click.echo()
    click.echo("files:")
    click.echo(f"  map          {report['map']['file']}")
    click.echo(f"  report       {report['report_file']}")
    click.echo(f"  archive      {report['archive']['dir']}")
    click.echo(f"  games        {report['games']['file']}")
    click.echo()
    if report["embedded"]:
        click.echo("open the database in psql (the embedded server stopped with this command):")
        click.echo("  babylon-sql server start")
    else:
        click.echo("open the database in psql:")
    click.echo(f"  {report['psql']}")
    click.echo("draw another layer:")
    click.echo(
        f"  babylon-sql map --layer v_hex_mobilize.dominant_class --session "
        f"{report['session_id']} --out map2.png" + ("" if report["embedded"] else " --dsn ...")
    )
    click.echo("remove what the demo made:")
    for step in report["remove"]:
        click.echo(f"  {step}")


@click.command("demo")
@click.option(
    "--scale",
    type=click.Choice(SCALES),
    default=DEFAULT_SCALE,
    show_default=True,
    help="World size: city (1.5K hexes), state (23K), region (246K, the design's "
    "CONUS budget), conus (1.5M real CONUS R7 hexes; slow).",
)
@click.option(
    "--ticks",
    type=click.IntRange(min=1, max=100_000),
    default=12,
    show_default=True,
    help="Ticks to run after tick 0.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="World and dynamics seed.")
@click.option(
    "--trace-level",
    type=click.Choice([lv.name.lower() for lv in TraceLevel]),
    default="debug",
    show_default=True,
    help="Traces kept: summary (1 per tick), debug (+1 per hot county), trace (+1 per hex).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the map, the report, the archive and the games file "
    "(default: <data home>/demo/<scale>).",
)
@click.option(
    "--layer",
    default="v_hex_economic.heat",
    show_default=True,
    help="Composition-view column the map draws.",
)
@click.option("--keep", is_flag=True, help="Keep earlier demo sessions of this scale.")
@click.pass_context
def demo(
    ctx: click.Context,
    scale: str,
    ticks: int,
    seed: int,
    trace_level: str,
    out_dir: Path | None,
    layer: str,
    keep: bool,
) -> None:
    """A national-scale session end to end: persist, refresh, reconstruct, archive, map."""
    report = run_demo(
        dsn=state(ctx).dsn,
        scale=scale,
        ticks=ticks,
        seed=seed,
        trace_level=trace_level,
        out_dir=out_dir,
        layer=layer,
        keep=keep,
    )
    if state(ctx).json:
        emit_json(report)
    elif state(ctx).quiet:
        click.echo(str(report["map"]["file"]))
    else:
        print_report(report)
