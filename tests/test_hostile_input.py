"""The hostile-input matrix: every public entry point x every input class x every backend.

Each case puts one hostile value into one slot of one entry point (an id, a
key, a name, a free text, a JSON value, a number, an H3 cell) and asserts
the outcome the input rules (README, *Input rules*) promise for that kind of
slot: stored and read back verbatim (tuples come back as lists), or one
:class:`ValidationError` / :class:`SerializationError` whose message names
the field, with every table's row count unchanged (a ``MissingExtensionError``
for an accepted value of a PostGIS slot on a server without PostGIS, also
with nothing written). RuntimePersistence slots
run on SQLite and PostgreSQL in the same case and must agree exactly (same
error type and message, or the same value read back).

One database per backend serves the whole module: refused calls write
nothing, and accepted ones only replace what the same slot wrote before.
The hex journal's slots follow its rules: journal writes go to the game's
next tick (ticks are journaled in order), counties are registered before
territory rows name them, and every H3 index is a real cell of the right
resolution (made with the ``h3`` package).
"""

from __future__ import annotations

import contextlib
import json
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosql
import duckdb
import h3
import networkx as nx
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql.errors import MissingExtensionError, SerializationError, ValidationError
from babylon_sql.games.repository import GameRepository, GameSessionRecord, PolicyIterationRecord
from babylon_sql.hex.journal import (
    get_hex_state_for_tick,
    get_hex_time_series,
    load_counties,
    load_hex_cells,
    load_hex_map,
    load_hex_substrate,
    populate_hex_cells,
    reconstruct_hex_state,
    write_hex_activity,
    write_territory_snapshot,
)
from babylon_sql.input.fields import MAX_KEY_BYTES
from babylon_sql.protocols import TraceLevel
from babylon_sql.runtime.postgres import PostgresRuntime
from babylon_sql.runtime.sqlite import RuntimeDatabase
from babylon_sql.server.admin import clone_database, drop_database
from babylon_sql.server.pool import configure_connection
from babylon_sql.traces.store import TraceRecorder
from babylon_sql.vector.store import PgVectorStore

_SQL = Path(__file__).parent / "sql"
PG_Q = aiosql.from_path(_SQL / "hostile_pg_row_counts.sql", "psycopg")
PG_HEX_Q = aiosql.from_path(_SQL / "hostile_pg_hex_row_counts.sql", "psycopg")
PG_CELL_Q = aiosql.from_path(_SQL / "hostile_pg_hex_cell_count.sql", "psycopg")
SQLITE_Q = aiosql.from_path(_SQL / "hostile_sqlite_row_counts.sql", "sqlite3")

#: The input classes of issue 8, one value each.
CLASSES: dict[str, Any] = {
    "nul": "a\x00b",
    "surrogate": "a\ud800b",
    "too_long": "é" * 1500,  # 3,000 bytes: beyond any key index
    "longest": "é" * (MAX_KEY_BYTES // 2),  # exactly the limit: accepted as a key
    "escape_text": "\\u0000",  # six characters, not a NUL
    "int_beyond_64_bits": 2**64,
    "tuple": (1, "a"),
    "non_str_key": {1: "one"},
    "nan": math.nan,
    "infinity": -math.inf,
}
OK, REFUSED, SKIP = "ok", "refused", "skip"
_TEXTS = ("escape_text", "longest")
#: What each kind of slot does with each class.
EXPECT: dict[str, dict[str, str]] = {
    # ids, keys, names: text without NUL or lone surrogate, at most 1,024 bytes
    "key": {c: OK if c in _TEXTS else REFUSED for c in CLASSES},
    # node ids: the same, and an int node id is valid (a dict is no node id)
    "node": {c: OK if c in _TEXTS else SKIP if c == "non_str_key" else REFUSED for c in CLASSES},
    # free text values: no length limit
    "text": {c: OK if c in (*_TEXTS, "too_long") else REFUSED for c in CLASSES},
    # JSON stored as json (PG) or text (SQLite): NUL carried, tuples become lists
    "json": {c: OK if c in (*_TEXTS, "too_long", "nul", "tuple") else REFUSED for c in CLASSES},
    # JSON stored as jsonb: the same without NUL
    "jsonb": {c: OK if c in (*_TEXTS, "too_long", "tuple") else REFUSED for c in CLASSES},
    # numbers, ints and H3 cells: no hostile class is one
    "number": dict.fromkeys(CLASSES, REFUSED),
    # text of a fixed form (WKT geometries): no hostile class has it
    "form": dict.fromkeys(CLASSES, REFUSED),
    # JSON given as text (the DuckDB game records): see json_text()
    "json_text": {c: OK if c in (*_TEXTS, "too_long", "nul") else REFUSED for c in CLASSES},
}


def json_text(cls: str, value: Any) -> Any:
    """The class as JSON text: a string holding it, or the document that carries it.

    ``nul`` is the JSON escape of a NUL (text without a NUL character, kept
    verbatim); a raw NUL in text is refused like any text's.
    """
    return {
        "nul": '{"v": "a\\u0000b"}',
        "surrogate": '{"v": "a\ud800b"}',
        "int_beyond_64_bits": '{"v": 18446744073709551616}',
        "nan": '{"v": NaN}',
        "infinity": '{"v": -1e400}',
    }.get(cls, json.dumps({"v": value}, ensure_ascii=False) if isinstance(value, str) else value)


def expected_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def dict_key(value: Any) -> Any:
    """The class placed as a mapping key: the non-str-key class is the key 1."""
    return 1 if isinstance(value, dict) else value


# --------------------------------------------------------------------------- backends


@dataclass
class Env:
    """The module's databases, one per backend."""

    pool: ConnectionPool[psycopg.Connection[Any]]
    pg: PostgresRuntime
    sqlite: RuntimeDatabase
    games: GameRepository
    store: PgVectorStore
    sid: uuid.UUID
    postgis: bool
    r7: Iterator[int]
    """Fresh R7 cells, none of them in hex_map yet."""
    r8: Iterator[tuple[int, int]]
    """Fresh R8 cells, each with its R7 parent."""
    hex_tick: int = 0
    """The last tick journaled for ``sid``."""
    case: int = 0
    last: dict[str, Any] = field(default_factory=dict)

    def counts(self, backend: str) -> tuple[Any, ...]:
        if backend == "sqlite":
            return tuple(SQLITE_Q.hostile_sqlite_row_counts(self.sqlite.connection))
        if backend == "duckdb":
            sessions = self.games.list_game_sessions(limit=10**6)
            return len(sessions), len(self.games.get_policy_iterations("g-base"))
        with self.pool.connection() as conn:
            counts = (*PG_Q.hostile_pg_row_counts(conn), *PG_HEX_Q.hostile_pg_hex_row_counts(conn))
            if self.postgis:
                counts = (*counts, PG_CELL_Q.hostile_pg_hex_cell_count(conn))
            return counts

    def runtime(self, backend: str) -> Any:
        return self.sqlite if backend == "sqlite" else self.pg


H3 = 0x872830828FFFFFF
"""The module's mapped R7 hex (county 06075)."""


def _r7_cells() -> Iterator[int]:
    """R7 cells around Chicago (far from ``H3``), nearest first."""
    for cell in h3.grid_disk(h3.latlng_to_cell(41.88, -87.63, 7), 12):
        yield int(cell, 16)


def _r8_cells() -> Iterator[tuple[int, int]]:
    """R8 children of R7 cells around Los Angeles, with their parent."""
    for parent in h3.grid_disk(h3.latlng_to_cell(34.05, -118.24, 7), 6):
        for child in h3.cell_to_children(parent, 8):
            yield int(child, 16), int(parent, 16)


T0 = datetime(2025, 12, 9, 10, 0, tzinfo=UTC)


def _session(**changes: Any) -> GameSessionRecord:
    values: dict[str, Any] = {
        "game_id": "g-base",
        "scenario_config": "exp1.yaml",
        "master_seed": 42,
        "game_mode": "rl_optimization",
        "config_json": "{}",
        "started_at": T0,
        "status": "running",
        "optimized_agents": ["BANK_A"],
    }
    return GameSessionRecord(**{**values, **changes})


def _iteration(**changes: Any) -> PolicyIterationRecord:
    values: dict[str, Any] = {
        "game_id": "g-base",
        "agent_id": "BANK_A",
        "iteration_number": 1,
        "trigger_tick": 0,
        "old_policy_json": "{}",
        "new_policy_json": "{}",
        "old_cost": 2.0,
        "new_cost": 1.0,
        "cost_improvement": 1.0,
        "was_accepted": True,
        "validation_errors": [],
        "llm_model": "m",
        "llm_latency_seconds": 0.5,
        "tokens_used": 10,
        "created_at": T0,
    }
    return PolicyIterationRecord(**{**values, **changes})


@pytest.fixture(scope="module")
def env(pg_server: Any) -> Iterator[Env]:
    name = f"babylon_h_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
        clone_database(conn, name, pg_server.template)
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        pg_server.dsn(name), min_size=1, max_size=2, configure=configure_connection, open=False
    )
    pool.open(wait=True)
    try:
        pg = PostgresRuntime(pool)
        sid = pg.create_session("hostile")
        load_hex_map(pool, [{"h3_index": H3, "county_fips": "06075"}])
        write_territory_snapshot(pool, sid, 0, [{"county_fips": "06075", "value_tensor": [0] * 12}])
        pg.persist_hex_state(0, [{"h3_index": H3}], session_id=sid)
        games = GameRepository(duckdb.connect(":memory:"))
        games.initialize_schema()
        games.save_game_session(_session())
        with RuntimeDatabase(run_id="hostile", in_memory=True) as sqlite:
            yield Env(
                pool=pool,
                pg=pg,
                sqlite=sqlite,
                games=games,
                store=PgVectorStore(pool, dimension=3, collection="hostile"),
                sid=sid,
                postgis=pg_server.has("postgis"),
                r7=_r7_cells(),
                r8=_r8_cells(),
            )
    finally:
        pool.close()
        with psycopg.connect(pg_server.admin_dsn, autocommit=True) as conn:
            drop_database(conn, name)


# --------------------------------------------------------------------------- the slots

Write = Callable[[Env, str, Any], Any]
Read = Callable[[Env, str], Any]


@dataclass(frozen=True)
class Slot:
    """One place a caller's value goes: written by ``write(env, backend,
    value)``, read back by ``read(env, backend)`` (``None``: a read-only call,
    or nothing to read back), named ``field`` in errors. A ``postgis`` slot
    needs PostGIS for the values it accepts."""

    name: str
    kind: str
    backends: tuple[str, ...]
    field: str
    write: Write
    read: Read | None = None
    postgis: bool = False


BOTH = ("sqlite", "pg")
PG = ("pg",)


def _graph(**attrs: Any) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("n", **attrs)
    return g


def _one_node(value: Any) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node(value, a=1)
    return g


def _trace(env: Env, value: Any, key: str) -> None:
    event = {"system": "s", "event": "e", "node_id": "n", "data": {}}
    event[key] = {"v": value} if key == "data" else value
    env.pg.persist_traces(env.sid, 1, [event])


def _flush(env: Env, value: Any) -> None:
    recorder = TraceRecorder(TraceLevel.DEBUG, env.pg)
    recorder.trace("s", "e", {"v": value}, node_id="n")
    try:
        recorder.flush(env.sid, 2)
    finally:
        recorder.clear()


def _chunk(env: Env, **changes: Any) -> None:
    env.case += 1
    chunk = {"id": f"c{env.case}", "document": "d", "embedding": [1.0, 0.0, 0.0]}
    chunk.update(changes)
    chunk["metadata"] = {"case": env.case, **chunk.get("metadata", {})}
    env.store.add_chunks([chunk])


def _similar(env: Env) -> tuple[list[Any], ...]:
    return env.store.query_similar(
        [1.0, 0.0, 0.0],
        k=1,
        where={"case": env.case},
        include=["documents", "metadatas"],
        exact=True,
    )


def _journal(env: Env, write: Callable[[int], Any]) -> None:
    """Write at the game's next tick (the journal takes ticks in order); the
    tick counts as journaled once the write is accepted."""
    tick = env.hex_tick + 1
    write(tick)
    env.hex_tick = tick


def _hex(env: Env, **changes: Any) -> None:
    row = {"h3_index": H3, **changes}
    _journal(env, lambda t: write_hex_activity(env.pool, env.sid, t, [row]))


def _territory(env: Env, **changes: Any) -> None:
    row = {"county_fips": "06075", "value_tensor": [0.0] * 12, **changes}
    _journal(env, lambda t: write_territory_snapshot(env.pool, env.sid, t, [row]))


def _territory_county(env: Env, value: Any) -> None:
    """A territory row naming the county ``value``, registered first (with a
    fresh hex, so it can be read back) when load_hex_map takes it: the
    journal must then take it too, and refuse it when load_hex_map does."""
    with contextlib.suppress(ValidationError, SerializationError):
        load_hex_map(env.pool, [{"h3_index": next(env.r7), "county_fips": value}])
    row = {"county_fips": value, "value_tensor": [0.0] * 12}
    _journal(env, lambda t: write_territory_snapshot(env.pool, env.sid, t, [row]))
    env.last["county"] = value


def _hex_state(env: Env) -> dict[str, Any]:
    """The module hex's state at the last tick journaled, from the journals."""
    rows = reconstruct_hex_state(env.pool, env.sid, env.hex_tick, h3_indexes=[H3])
    return rows[0]


def _substrate(env: Env, **changes: Any) -> None:
    child, parent = next(env.r8)
    load_hex_substrate(env.pool, [{"h3_index": child, "parent_h3_index": parent, **changes}])


def _hex_cell(env: Env, **changes: Any) -> None:
    """populate_hex_cells with a fresh R7 cell, its parents and its real geometry."""
    text = format(next(env.r7), "x")
    ring = [(lng, lat) for lat, lng in h3.cell_to_boundary(text)]
    lat, lng = h3.cell_to_latlng(text)
    row = {
        "h3_index": int(text, 16),
        "county_fips": "17031",
        "res6_parent": int(h3.cell_to_parent(text, 6), 16),
        "res5_parent": int(h3.cell_to_parent(text, 5), 16),
        "geometry_wkt": f"POLYGON(({', '.join(f'{x} {y}' for x, y in [*ring, ring[0]])}))",
        "centroid_wkt": f"POINT({lng} {lat})",
    }
    populate_hex_cells(env.pool, [{**row, **changes}])


SLOTS = [
    # -- RuntimePersistence, SQLite and PostgreSQL -------------------------
    Slot(
        "persist_tick node id",
        "node",
        BOTH,
        "node id",
        lambda e, b, v: e.runtime(b).persist_tick(1, _one_node(v), session_id=e.sid),
        lambda e, b: next(iter(e.runtime(b).hydrate_graph(1, session_id=e.sid))),
    ),
    Slot(
        "persist_tick node attribute",
        "json",
        BOTH,
        "node 'n'",
        lambda e, b, v: e.runtime(b).persist_tick(2, _graph(v=v), session_id=e.sid),
        lambda e, b: e.runtime(b).hydrate_graph(2, session_id=e.sid).nodes["n"]["v"],
    ),
    Slot(
        "persist_tick node_type",
        "json",
        BOTH,
        "node 'n'",
        lambda e, b, v: e.runtime(b).persist_tick(3, _graph(node_type=v), session_id=e.sid),
        lambda e, b: e.runtime(b).hydrate_graph(3, session_id=e.sid).nodes["n"]["node_type"],
    ),
    Slot(
        "persist_tick graph.graph",
        "json",
        BOTH,
        "graph.graph",
        lambda e, b, v: e.runtime(b).persist_tick(4, nx.DiGraph(v=v), session_id=e.sid),
        lambda e, b: e.runtime(b).hydrate_graph(4, session_id=e.sid).graph["v"],
    ),
    Slot(
        "persist_tick event",
        "json",
        BOTH,
        "event #0",
        lambda e, b, v: e.runtime(b).persist_tick(
            5,
            _graph(),
            [{"event_type": v if isinstance(v, str) else "t", "v": v}],
            session_id=e.sid,
        ),
        lambda e, b: e.runtime(b).get_events(5, session_id=e.sid)[0]["v"],
    ),
    Slot(
        "log_tick rng_state",
        "json",
        BOTH,
        "rng_state",
        lambda e, b, v: e.runtime(b).log_tick(6, rng_state=v, session_id=e.sid),
        lambda e, b: e.runtime(b).get_tick_log(6, session_id=e.sid)["rng_state"],
    ),
    Slot(
        "log_tick system_timings key",
        "json",
        BOTH,
        "system_timings",
        lambda e, b, v: e.runtime(b).log_tick(7, system_timings={"s": v}, session_id=e.sid),
        lambda e, b: e.runtime(b).get_tick_log(7, session_id=e.sid)["system_timings"]["s"],
    ),
    Slot(
        "log_tick wall_time_ms",
        "number",
        BOTH,
        "wall_time_ms",
        lambda e, b, v: e.runtime(b).log_tick(8, wall_time_ms=v, session_id=e.sid),
    ),
    Slot(
        "set_metadata key",
        "key",
        BOTH,
        "metadata key",
        lambda e, b, v: e.runtime(b).set_metadata(v, "x") or e.last.update({b: v}),
        lambda e, b: e.runtime(b).get_metadata(e.last[b]) and e.last[b],
    ),
    Slot(
        "set_metadata value",
        "text",
        BOTH,
        "metadata value",
        lambda e, b, v: e.runtime(b).set_metadata("k", v, session_id=e.sid),
        lambda e, b: e.runtime(b).get_metadata("k", session_id=e.sid),
    ),
    Slot(
        "get_metadata key",
        "key",
        BOTH,
        "metadata key",
        lambda e, b, v: e.runtime(b).get_metadata(v, session_id=e.sid),
    ),
    Slot(
        "record_tick_summary total_c",
        "number",
        ("sqlite",),
        "total_c",
        lambda e, b, v: e.sqlite.record_tick_summary(1, v, 1.0, 1.0, 0.5, 0, session_id=e.sid),
    ),
    # -- PostgresRuntime: sessions and PostgresRuntimeExtensions ------------
    Slot(
        "create_session name",
        "key",
        PG,
        "session name",
        lambda e, b, v: e.last.update(s=e.pg.create_session(v)),
        lambda e, b: e.pg.get_session(e.last["s"]).name,  # type: ignore[union-attr]
    ),
    Slot(
        "create_session config",
        "jsonb",
        PG,
        "session config",
        lambda e, b, v: e.last.update(s=e.pg.create_session("c", {"v": v})),
        lambda e, b: e.pg.get_session(e.last["s"]).config["v"],  # type: ignore[union-attr]
    ),
    Slot(
        "update_session_status status",
        "number",  # an enumerated text: every hostile value is refused
        PG,
        "status",
        lambda e, b, v: e.pg.update_session_status(e.sid, v),
    ),
    Slot(
        "persist_graph_metadata economy",
        "json",
        PG,
        "economy",
        lambda e, b, v: e.pg.persist_graph_metadata(1, {"v": v}, {}, {}, session_id=e.sid),
        lambda e, b: e.pg.get_graph_metadata(1, session_id=e.sid)["economy"]["v"],  # type: ignore[index]
    ),
    Slot(
        "persist_community_state community id",
        "key",
        PG,
        "community id",
        lambda e, b, v: e.pg.persist_community_state(1, {dict_key(v): {}}, [], session_id=e.sid),
        lambda e, b: next(iter(e.pg.hydrate_community_state(1, session_id=e.sid)[0])),
    ),
    Slot(
        "persist_community_state state",
        "json",
        PG,
        "community 'c'",
        lambda e, b, v: e.pg.persist_community_state(2, {"c": {"v": v}}, [], session_id=e.sid),
        lambda e, b: e.pg.hydrate_community_state(2, session_id=e.sid)[0]["c"]["v"],
    ),
    Slot(
        "persist_community_state member_id",
        "key",
        PG,
        "membership #0",
        lambda e, b, v: e.pg.persist_community_state(
            3, {}, [{"community_id": "c", "member_id": v}], session_id=e.sid
        ),
        lambda e, b: e.pg.hydrate_community_state(3, session_id=e.sid)[1][0]["member_id"],
    ),
    Slot(
        "persist_infrastructure_state h3_index",
        "number",
        PG,
        "terrain state #0 h3_index",
        lambda e, b, v: e.pg.persist_infrastructure_state(
            1, [{"h3_index": v}], [], session_id=e.sid
        ),
    ),
    Slot(
        "persist_infrastructure_state terrain_type",
        "key",
        PG,
        "terrain state #0 terrain_type",
        lambda e, b, v: e.pg.persist_infrastructure_state(
            2, [{"h3_index": H3, "terrain_type": v}], [], session_id=e.sid
        ),
        lambda e, b: e.pg.hydrate_infrastructure_state(2, session_id=e.sid)[0][0]["terrain_type"],
    ),
    Slot(
        "persist_infrastructure_state link state",
        "jsonb",
        PG,
        "link 'l'",
        lambda e, b, v: e.pg.persist_infrastructure_state(
            3, [], [{"link_id": "l", "v": v}], session_id=e.sid
        ),
        lambda e, b: e.pg.hydrate_infrastructure_state(3, session_id=e.sid)[1][0]["v"],
    ),
    Slot(
        "persist_infrastructure_state capacity",
        "number",
        PG,
        "link 'l' capacity",
        lambda e, b, v: e.pg.persist_infrastructure_state(
            4, [], [{"link_id": "l", "capacity": v}], session_id=e.sid
        ),
    ),
    Slot(
        "persist_contradiction_fields field key",
        "key",
        PG,
        "field name",
        lambda e, b, v: e.pg.persist_contradiction_fields(
            1, {dict_key(v): 1}, [], session_id=e.sid
        ),
        lambda e, b: e.pg.hydrate_contradiction_fields(1, session_id=e.sid)[0][0]["field_name"],
    ),
    Slot(
        "persist_contradiction_fields value",
        "json",
        PG,
        "field #0",
        lambda e, b, v: e.pg.persist_contradiction_fields(2, {"f": v}, [], session_id=e.sid),
        lambda e, b: e.pg.hydrate_contradiction_fields(2, session_id=e.sid)[0][0]["value"],
    ),
    Slot(
        "persist_contradiction_fields curvature source_id",
        "key",
        PG,
        "curvature #0",
        lambda e, b, v: e.pg.persist_contradiction_fields(
            3, {}, [{"source_id": v, "target_id": "t", "curvature": 0.5}], session_id=e.sid
        ),
        lambda e, b: e.pg.hydrate_contradiction_fields(3, session_id=e.sid)[1][0]["source_id"],
    ),
    Slot(
        "persist_action_results action_id",
        "key",
        PG,
        "action result #0 action_id",
        lambda e, b, v: e.pg.persist_action_results(1, [{"action_id": v}], session_id=e.sid),
        lambda e, b: e.pg.get_action_results(1, session_id=e.sid)[0]["action_id"],
    ),
    Slot(
        "persist_action_results outcome",
        "json",
        PG,
        "action result #0",
        lambda e, b, v: e.pg.persist_action_results(
            2, [{"action_id": "a", "v": v}], session_id=e.sid
        ),
        lambda e, b: e.pg.get_action_results(2, session_id=e.sid)[0]["v"],
    ),
    Slot(
        "persist_tick_summary",
        "json",
        PG,
        "tick summary",
        lambda e, b, v: e.pg.persist_tick_summary(1, {"v": v}, session_id=e.sid),
        lambda e, b: e.pg.get_tick_summary(1, session_id=e.sid)["v"],  # type: ignore[index]
    ),
    # -- traces ------------------------------------------------------------
    Slot(
        "persist_traces system",
        "key",
        PG,
        "trace event 0 system",
        lambda e, b, v: _trace(e, v, "system"),
        lambda e, b: e.pg.get_traces(e.sid, 1)[0]["system"],
    ),
    Slot(
        "persist_traces node_id",
        "key",
        PG,
        "trace event 0 node_id",
        lambda e, b, v: _trace(e, v, "node_id"),
        lambda e, b: e.pg.get_traces(e.sid, 1)[0]["node_id"],
    ),
    Slot(
        "persist_traces data",
        "jsonb",
        PG,
        "trace event 0 (s/e) data",
        lambda e, b, v: _trace(e, v, "data"),
        lambda e, b: e.pg.get_traces(e.sid, 1)[0]["data"]["v"],
    ),
    Slot(
        "TraceRecorder.flush data",
        "jsonb",
        PG,
        "trace event 0 (s/e) data",
        lambda e, b, v: _flush(e, v),
        lambda e, b: e.pg.get_traces(e.sid, 2)[0]["data"]["v"],
    ),
    # -- vector store --------------------------------------------------------
    Slot(
        "add_chunks id",
        "key",
        PG,
        "chunk 0 id",
        lambda e, b, v: _chunk(e, id=v),
        lambda e, b: _similar(e)[0][0],
    ),
    Slot(
        "add_chunks document",
        "text",
        PG,
        "document",
        lambda e, b, v: _chunk(e, document=v),
        lambda e, b: _similar(e)[1][0],
    ),
    Slot(
        "add_chunks metadata",
        "jsonb",
        PG,
        "metadata",
        lambda e, b, v: _chunk(e, metadata={"v": v}),
        lambda e, b: _similar(e)[3][0]["v"],
    ),
    Slot(
        "query_similar where",
        "jsonb",
        PG,
        "where",
        lambda e, b, v: e.store.query_similar([1.0, 0.0, 0.0], k=1, where={"v": v}),
    ),
    # -- hex journal -----------------------------------------------------------
    Slot(
        "load_counties county_fips",
        "key",
        PG,
        "county row 0: county_fips",
        lambda e, b, v: load_counties(e.pool, [{"county_fips": v}]),
    ),
    Slot(
        "load_counties state_fips",
        "key",
        PG,
        "county row 0: state_fips",
        lambda e, b, v: load_counties(e.pool, [{"county_fips": "17031", "state_fips": v}]),
    ),
    Slot(
        "load_counties name",
        "key",
        PG,
        "county row 0: name",
        lambda e, b, v: load_counties(e.pool, [{"county_fips": "17031", "name": v}]),
    ),
    Slot(
        "load_hex_map county_fips",
        "key",
        PG,
        "hex_map row 0: county_fips",
        lambda e, b, v: load_hex_map(e.pool, [{"h3_index": next(e.r7), "county_fips": v}]),
    ),
    Slot(
        "load_hex_map h3_index",
        "number",
        PG,
        "hex_map row 0: h3_index",
        lambda e, b, v: load_hex_map(e.pool, [{"h3_index": v, "county_fips": "17031"}]),
    ),
    Slot(
        "load_hex_map resolution",
        "number",
        PG,
        "hex_map row 0: resolution",
        lambda e, b, v: load_hex_map(
            e.pool, [{"h3_index": next(e.r7), "county_fips": "17031", "resolution": v}]
        ),
    ),
    Slot(
        "load_hex_substrate terrain_type",
        "text",
        PG,
        "hex_substrate row 0: terrain_type",
        lambda e, b, v: _substrate(e, terrain_type=v),
    ),
    Slot(
        "load_hex_substrate h3_index",
        "number",
        PG,
        "hex_substrate row 0: h3_index",
        lambda e, b, v: load_hex_substrate(e.pool, [{"h3_index": v, "parent_h3_index": H3}]),
    ),
    Slot(
        "load_hex_substrate parent_h3_index",
        "number",
        PG,
        "hex_substrate row 0: parent_h3_index",
        lambda e, b, v: _substrate(e, parent_h3_index=v),
    ),
    Slot(
        "load_hex_substrate water_coverage",
        "number",
        PG,
        "hex_substrate row 0: water_coverage",
        lambda e, b, v: _substrate(e, water_coverage=v),
    ),
    Slot(
        "write_territory_snapshot county_fips",
        "key",
        PG,
        "territory row 0: county_fips",
        lambda e, b, v: _territory_county(e, v),
        lambda e, b: reconstruct_hex_state(e.pool, e.sid, e.hex_tick, county_fips=e.last["county"])[
            0
        ]["county_fips"],
    ),
    Slot(
        "write_territory_snapshot dominant_class",
        "text",
        PG,
        "territory row 0 (06075): dominant_class",
        lambda e, b, v: _territory(e, dominant_class=v),
        lambda e, b: _hex_state(e)["dominant_class"],
    ),
    Slot(
        "write_territory_snapshot class_distribution",
        "jsonb",
        PG,
        "territory row 0 (06075): class_distribution",
        lambda e, b, v: _territory(e, class_distribution={"v": v}),
    ),
    Slot(
        "write_territory_snapshot profit_rate",
        "number",
        PG,
        "territory row 0 (06075): profit_rate",
        lambda e, b, v: _territory(e, profit_rate=v),
    ),
    Slot(
        "write_territory_snapshot pop_total",
        "number",
        PG,
        "territory row 0 (06075): pop_total",
        lambda e, b, v: _territory(e, pop_total=v),
    ),
    Slot(
        "write_territory_snapshot value_tensor",
        "number",
        PG,
        "territory row 0 (06075): value_tensor component",
        lambda e, b, v: _territory(e, value_tensor=[v, *[0.0] * 11]),
    ),
    Slot(
        "write_hex_activity heat",
        "number",
        PG,
        "activity row 0: heat",
        lambda e, b, v: _hex(e, heat=v),
    ),
    Slot(
        "write_hex_activity org_count",
        "number",
        PG,
        "activity row 0: org_count",
        lambda e, b, v: _hex(e, org_count=v),
    ),
    Slot(
        "write_hex_activity h3_index",
        "number",
        PG,
        "activity row 0: h3_index",
        lambda e, b, v: _hex(e, h3_index=v),
    ),
    Slot(
        "write_hex_activity faction_control",
        "jsonb",
        PG,
        "activity row 0: faction_control",
        lambda e, b, v: _hex(e, faction_control={"v": v}),
        lambda e, b: _hex_state(e)["faction_control"]["v"],
    ),
    Slot(
        "write_hex_activity state",
        "jsonb",
        PG,
        "activity row 0: state",
        lambda e, b, v: _hex(e, state={"v": v}),
    ),
    Slot(
        "reconstruct_hex_state county_fips",
        "key",
        PG,
        "county_fips",
        lambda e, b, v: reconstruct_hex_state(e.pool, e.sid, 0, county_fips=v),
    ),
    Slot(
        "reconstruct_hex_state h3_indexes",
        "number",
        PG,
        "h3_indexes item",
        lambda e, b, v: reconstruct_hex_state(e.pool, e.sid, 0, h3_indexes=[v]),
    ),
    Slot(
        "reconstruct_hex_state tick",
        "number",
        PG,
        "tick",
        lambda e, b, v: reconstruct_hex_state(e.pool, e.sid, v),
    ),
    Slot(
        "reconstruct_hex_state game_id",
        "number",  # a UUID or its text: every hostile value is refused
        PG,
        "game_id",
        lambda e, b, v: reconstruct_hex_state(e.pool, v, 0),
    ),
    Slot(
        "persist_hex_state h3_index",
        "number",
        PG,
        "hex state 0: h3_index",
        lambda e, b, v: e.pg.persist_hex_state(1, [{"h3_index": v}], session_id=e.sid),
    ),
    Slot(
        "persist_hex_state constant_capital",
        "number",
        PG,
        "hex state 0: constant_capital",
        lambda e, b, v: e.pg.persist_hex_state(
            1, [{"h3_index": H3, "constant_capital": v}], session_id=e.sid
        ),
    ),
    Slot(
        "persist_hex_state employment",
        "number",
        PG,
        "hex state 0: employment",
        lambda e, b, v: e.pg.persist_hex_state(
            1, [{"h3_index": H3, "employment": v}], session_id=e.sid
        ),
    ),
    Slot(
        "persist_hex_state dept_shares",
        "number",
        PG,
        "hex state 0: dept_shares component",
        lambda e, b, v: e.pg.persist_hex_state(
            1, [{"h3_index": H3, "dept_shares": [v, 0.0, 0.0, 0.0]}], session_id=e.sid
        ),
    ),
    Slot(
        "get_hex_state_for_tick county_fips",
        "key",
        PG,
        "county_fips",
        lambda e, b, v: get_hex_state_for_tick(e.pool, e.sid, 0, county_fips=v),
    ),
    Slot(
        "get_hex_state_for_tick tick",
        "number",
        PG,
        "tick",
        lambda e, b, v: get_hex_state_for_tick(e.pool, e.sid, v),
    ),
    Slot(
        "get_hex_time_series h3_index",
        "number",
        PG,
        "h3_index",
        lambda e, b, v: get_hex_time_series(e.pool, e.sid, v),
    ),
    Slot(
        "get_hex_time_series tick_start",
        "number",
        PG,
        "tick_start",
        lambda e, b, v: get_hex_time_series(e.pool, e.sid, H3, tick_start=v),
    ),
    Slot(
        "populate_hex_cells county_fips",
        "key",
        PG,
        "hex cell 0: county_fips",
        lambda e, b, v: _hex_cell(e, county_fips=v),
        postgis=True,
    ),
    Slot(
        "populate_hex_cells h3_index",
        "number",
        PG,
        "hex cell 0: h3_index",
        lambda e, b, v: _hex_cell(e, h3_index=v),
        postgis=True,
    ),
    Slot(
        "populate_hex_cells geometry_wkt",
        "form",
        PG,
        "hex cell 0: geometry_wkt",
        lambda e, b, v: _hex_cell(e, geometry_wkt=v),
        postgis=True,
    ),
    Slot(
        "load_hex_cells h3_indexes",
        "number",
        PG,
        "h3_indexes item",
        lambda e, b, v: load_hex_cells(e.pool, [v]),
        postgis=True,
    ),
    # -- DuckDB game records -----------------------------------------------------
    Slot(
        "save_game_session game_id",
        "key",
        ("duckdb",),
        "GameSessionRecord.game_id",
        lambda e, b, v: e.games.save_game_session(_session(game_id=v)) or e.last.update(g=v),
        lambda e, b: e.games.get_game_session(e.last["g"]).game_id,  # type: ignore[union-attr]
    ),
    Slot(
        "save_game_session scenario_config",
        "text",
        ("duckdb",),
        "GameSessionRecord.scenario_config",
        lambda e, b, v: e.games.save_game_session(_session(game_id="g2", scenario_config=v)),
        lambda e, b: e.games.get_game_session("g2").scenario_config,  # type: ignore[union-attr]
    ),
    Slot(
        "save_game_session config_json",
        "json_text",
        ("duckdb",),
        "GameSessionRecord.config_json",
        lambda e, b, v: e.games.save_game_session(_session(game_id="g3", config_json=v)),
        lambda e, b: e.games.get_game_session("g3").config_json,  # type: ignore[union-attr]
    ),
    Slot(
        "save_game_session optimized_agents",
        "text",
        ("duckdb",),
        "GameSessionRecord.optimized_agents[0]",
        lambda e, b, v: e.games.save_game_session(_session(game_id="g4", optimized_agents=[v])),
        lambda e, b: e.games.get_game_session("g4").optimized_agents[0],  # type: ignore[union-attr]
    ),
    Slot(
        "save_policy_iteration agent_id",
        "key",
        ("duckdb",),
        "PolicyIterationRecord.agent_id",
        lambda e, b, v: e.games.save_policy_iteration(_iteration(agent_id=v)) or e.last.update(a=v),
        lambda e, b: e.games.get_policy_iterations("g-base", e.last["a"])[0].agent_id,
    ),
    Slot(
        "save_policy_iteration new_policy_json",
        "json_text",
        ("duckdb",),
        "PolicyIterationRecord.new_policy_json",
        lambda e, b, v: e.games.save_policy_iteration(_iteration(agent_id="P", new_policy_json=v)),
        lambda e, b: e.games.get_policy_iterations("g-base", "P")[0].new_policy_json,
    ),
    Slot(
        "save_policy_iterations tokens_used",
        "number",
        ("duckdb",),
        "PolicyIterationRecord.tokens_used",
        lambda e, b, v: e.games.save_policy_iterations([_iteration(tokens_used=v)]),
    ),
    Slot(
        "save_policy_iterations new_cost",
        "number",
        ("duckdb",),
        "PolicyIterationRecord.new_cost",
        lambda e, b, v: e.games.save_policy_iterations([_iteration(new_cost=v)]),
    ),
]

CASES = [
    pytest.param(slot, cls, id=f"{slot.name}-{cls}")
    for slot in SLOTS
    for cls in CLASSES
    if EXPECT[slot.kind][cls] != SKIP
]


def _outcome(env: Env, slot: Slot, backend: str, value: Any) -> tuple[str, Any]:
    """``("ok", value read back)`` or ``(error type name, message)``; a refused
    call must leave every row count as it was."""
    before = env.counts(backend)
    try:
        slot.write(env, backend, value)
    except (ValidationError, SerializationError, MissingExtensionError) as exc:
        assert env.counts(backend) == before, f"{slot.name} on {backend}: a refused call wrote"
        return type(exc).__name__, str(exc)
    return OK, None if slot.read is None else slot.read(env, backend)


@pytest.mark.parametrize(("slot", "cls"), CASES)
def test_hostile_input(env: Env, slot: Slot, cls: str) -> None:
    value = CLASSES[cls]
    if slot.kind == "json_text":
        value = json_text(cls, value)
    outcomes = {backend: _outcome(env, slot, backend, value) for backend in slot.backends}
    first = next(iter(outcomes.values()))
    assert all(o == first for o in outcomes.values()), f"backends disagree: {outcomes}"
    kind, detail = first
    if EXPECT[slot.kind][cls] == REFUSED:
        assert kind in ("ValidationError", "SerializationError"), (
            f"{slot.name} did not refuse {cls}: {kind} {detail!r}"
        )
        assert slot.field in detail, f"the error does not name {slot.field!r}: {detail}"
    elif slot.postgis and not env.postgis:
        assert kind == "MissingExtensionError", f"{slot.name} without PostGIS: {kind} {detail}"
    else:
        assert kind == OK, f"{slot.name} refused {cls}: {detail}"
        if slot.read is not None:
            assert detail == expected_value(value)


def test_every_entry_point_is_in_the_matrix() -> None:
    """The public writers the matrix must cover, by name."""
    names = {slot.name.split()[0] for slot in SLOTS}
    wanted = {
        "persist_tick", "log_tick", "set_metadata", "get_metadata", "record_tick_summary",
        "create_session", "update_session_status", "persist_graph_metadata",
        "persist_community_state", "persist_infrastructure_state",
        "persist_contradiction_fields", "persist_action_results", "persist_tick_summary",
        "persist_hex_state", "persist_traces", "TraceRecorder.flush", "add_chunks",
        "query_similar", "write_hex_activity", "write_territory_snapshot", "load_counties",
        "load_hex_map", "load_hex_substrate", "reconstruct_hex_state", "get_hex_state_for_tick",
        "get_hex_time_series", "populate_hex_cells", "load_hex_cells", "save_game_session",
        "save_policy_iteration", "save_policy_iterations",
    }  # fmt: skip
    assert wanted <= names, wanted - names


def test_longest_keys_fit_every_key_index(env: Env) -> None:
    """Two ids of the maximum length in one primary key (edges, curvatures,
    memberships) are stored on both backends and read back."""
    a, b = "é" * (MAX_KEY_BYTES // 2), "ü" * (MAX_KEY_BYTES // 2)
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_edge(a, b, w=1)
    for backend in BOTH:
        runtime = env.runtime(backend)
        runtime.persist_tick(9, g, session_id=env.sid)
        assert list(runtime.hydrate_graph(9, session_id=env.sid).edges(data=True)) == [
            (a, b, {"w": 1})
        ]
    env.pg.persist_contradiction_fields(
        9, {}, [{"source_id": a, "target_id": b, "curvature": 1}], session_id=env.sid
    )
    env.pg.persist_community_state(
        9, {a: {}}, [{"community_id": a, "member_id": b}], session_id=env.sid
    )
    assert env.pg.hydrate_community_state(9, session_id=env.sid)[1][0]["member_id"] == b


@pytest.mark.parametrize("h3_index", [H3, "872830828ffffff", "872830828FFFFFF"])
def test_h3_cells_as_int_or_hex_text_everywhere(env: Env, h3_index: Any) -> None:
    """An H3 cell is taken as an int or its 15-hex-digit text by every entry point."""
    env.pg.persist_infrastructure_state(5, [{"h3_index": h3_index}], [], session_id=env.sid)
    assert env.pg.hydrate_infrastructure_state(5, session_id=env.sid)[0] == [{"h3_index": h3_index}]
    _hex(env, h3_index=h3_index, heat=1.5)
    rows = reconstruct_hex_state(env.pool, env.sid, env.hex_tick, h3_indexes=[h3_index])
    assert [(r["h3_index"], r["heat"]) for r in rows] == [(H3, 1.5)]
    env.pg.persist_hex_state(2, [{"h3_index": h3_index}], session_id=env.sid)
    assert [r["tick"] for r in get_hex_time_series(env.pool, env.sid, h3_index)] == [0, 2]
    bad_cells = ("872830828fffff", "0x72830828fffff", "87283082 ffffff", "0" * 15, 0, -1, 2**63,
                 True)  # fmt: skip
    for bad in bad_cells:
        with pytest.raises(ValidationError, match="H3 cell"):
            reconstruct_hex_state(env.pool, env.sid, 0, h3_indexes=[bad])
        with pytest.raises(ValidationError, match="H3 cell"):
            get_hex_time_series(env.pool, env.sid, bad)
