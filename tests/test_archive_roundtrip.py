"""Export -> purge -> restore gives back every row of every table, value for value.

The session used here writes every session-scoped table the catalog knows
(the test fails if one stays empty, so a table added to the schema later has
to be added here too), plus a table an extension of the schema adds with the
column types the core schema lacks. Contents are compared row by row twice:
as row text (each column through its type's output function: json text kept
byte for byte, jsonb normalised, bytea in hex, vectors, arrays, timestamps to
the microsecond) and as the values psycopg decodes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosql
import h3
import networkx as nx
import numpy as np
import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool

from babylon_sql import PgVectorStore, PostgresRuntime
from babylon_sql.archival import (
    export_session_to_parquet,
    purge_session,
    query_archived_session,
    restore_session,
)
from babylon_sql.archive.layout import session_tables, shared_tables
from babylon_sql.errors import ArchivalError, SessionExistsError
from babylon_sql.hex import journal
from babylon_sql.traces import store as tracing

Pool = ConnectionPool[psycopg.Connection[Any]]
T = aiosql.from_path(Path(__file__).parent / "sql" / "archival", "psycopg")

COUNTIES = ["01001", "01003", "06037"]


@dataclass(frozen=True)
class World:
    full: uuid.UUID  # every table, traces in its own partition
    plain: uuid.UUID  # a few tables, traces in the default partition
    bystander: uuid.UUID  # never archived: must not change


def _graph(tick: int) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph(name="economy", tick=tick, big=1e20, neg_zero=-0.0)
    g.add_node("w1", type="worker", wealth=1.5 + tick, tags=["a", "b"], note="tab\there")
    g.add_node(7, type="firm", capital=10**15, ratio=0.1)
    g.add_node("c1", type="capitalist", nested={"x": [1, 2.5, None]})
    g.add_edge("w1", 7, type="employment", wage=0.25)
    g.add_edge(7, "c1", type="ownership", share=1.0)
    return g


def _hexes() -> list[int]:
    cells = []
    for lat, lng in ((32.5, -86.6), (30.7, -87.8), (34.05, -118.25)):
        cells.append(h3.str_to_int(h3.latlng_to_cell(lat, lng, 7)))
    return cells


def _fill_full(rt: PostgresRuntime, pool: Pool, sid: uuid.UUID, with_vectors: bool) -> None:
    hexes = _hexes()
    rt.set_metadata("scenario", "round trip", session_id=sid)
    for tick in range(3):
        rt.persist_tick(
            tick, _graph(tick), [{"type": "strike", "size": tick}, {"type": "x"}], session_id=sid
        )
        rt.log_tick(
            tick,
            rng_state={"seed": 42, "state": [1, 2, 3]},
            mutations=[{"op": "set", "value": -0.0}],
            invariant_checks={"ok": True},
            wall_time_ms=12.5 + tick,
            system_timings={"economy": 0.75},
            session_id=sid,
        )
        rt.persist_graph_metadata(
            tick, {"gdp": 1e12}, {"debt": -3.5}, {"speed": tick}, session_id=sid
        )
        rt.persist_community_state(
            tick,
            {"union": {"size": 3 + tick}},
            [{"community_id": "union", "member_id": "w1", "role": "chair"}],
            session_id=sid,
        )
        rt.persist_infrastructure_state(
            tick,
            [{"h3_index": hexes[0], "terrain_type": "forest", "fire": tick > 0}],
            [
                {
                    "link_id": "rail-1",
                    "source_id": "w1",
                    "target_id": "c1",
                    "capacity": 100.0,
                    "condition": 0.9,
                }
            ],
            session_id=sid,
        )
        rt.persist_contradiction_fields(
            tick,
            {"labour_capital": 0.5 + tick, "list": [1, 2]},
            [{"source_id": "w1", "target_id": "7", "curvature": -0.25}],
            session_id=sid,
        )
        rt.persist_action_results(
            tick,
            [{"action_id": f"a{tick}", "actor_id": "w1", "action_type": "strike", "success": True}],
            session_id=sid,
        )
        rt.persist_tick_summary(tick, {"tick": tick, "gini": 0.41}, session_id=sid)
        journal.write_territory_snapshot(
            pool,
            sid,
            tick,
            [
                {
                    "county_fips": c,
                    "value_tensor": [float(i) / 3 + tick for i in range(12)],
                    "profit_rate": 0.1 * (tick + 1),
                    "pop_total": 10_000 + i,
                    "dominant_class": "proletariat",
                    "class_distribution": {"proletariat": 0.75},
                }
                for i, c in enumerate(COUNTIES)
                # the last county writes only at tick 0: later ticks carry it
                # (a hex_county_latest pointer)
                if tick == 0 or c != COUNTIES[-1]
            ],
        )
        rt.persist_hex_state(
            tick,
            [
                {
                    "h3_index": hexes[0],
                    "constant_capital": 1000.5 + tick,
                    "variable_capital": 250,
                    "surplus_value": 125.25,
                    "employment": 0.9,
                    "dept_shares": [0.4, 0.3, 0.2, 0.1],
                    "profit_rate": 0.1,
                    "exploitation_rate": 0.5,
                }
            ],
            session_id=sid,
        )
        journal.write_hex_activity(
            pool, sid, tick, [{"h3_index": hexes[tick], "heat": 2.5, "org_count": 1}]
        )
        rt.submit_turn(
            sid, tick, "org_a", "ORGANIZE", action_type="RECRUIT", params_json={"move": "north"}
        )
        T.insert_journal_extras(pool_conn := pool.getconn(), session_id=sid, tick=tick)
        pool_conn.commit()
        pool.putconn(pool_conn)
        tracing.persist_traces(
            pool,
            sid,
            tick,
            [
                {"system": "economy", "event": "wage", "data": {"tick": tick, "k": i}}
                for i in range(4)
            ],
        )
    journal.seed_hex_latest(pool, sid)
    journal.refresh_hex_latest(pool, sid, 2)
    tracing.create_session_partition(pool, sid)
    with pool.connection() as conn:
        T.insert_extension_rows(conn, session_id=sid)
    if with_vectors:
        store = PgVectorStore(pool, dimension=3, collection="lore")
        store.add_chunks(
            [
                {
                    "id": f"c{i}",
                    "document": f"text {i}",
                    "embedding": [0.1 * i + 0.0123456789, -1.0, 2.25],
                    "metadata": {"lang": "en", "i": i},
                    "session_id": sid,
                }
                for i in range(3)
            ]
        )


@pytest.fixture
def world(pg_pool: Pool, pg_server: Any) -> World:
    with pg_pool.connection() as conn:
        T.create_extension_table(conn)
    rt = PostgresRuntime(pg_pool)
    hexes = _hexes()
    journal.load_hex_map(
        pg_pool, [{"h3_index": h, "county_fips": c} for h, c in zip(hexes, COUNTIES, strict=True)]
    )
    full = rt.create_session("full", {"seed": 42, "big": 1e20}, status="running")
    plain = rt.create_session("plain", {"seed": 1})
    bystander = rt.create_session("bystander")
    _fill_full(rt, pg_pool, full, pg_server.has("vector"))
    for sid in (plain, bystander):
        rt.persist_tick(0, _graph(0), [{"type": "e"}], session_id=sid)
        tracing.persist_traces(pg_pool, sid, 0, [{"system": "s", "event": "e", "data": {}}])
    return World(full, plain, bystander)


def snapshot(pool: Pool, sid: uuid.UUID) -> dict[str, Any]:
    """Every row of the session in every table (and every shared row), as text and as values."""
    out: dict[str, Any] = {}
    with pool.connection() as conn:
        scoped = session_tables(conn)
        for table in scoped:
            parts = {
                "table": sql.Identifier(table.name),
                "column": sql.Identifier(table.session_column),
            }
            text = sql.SQL(T.table_rows_as_text.sql).format(**parts)
            values = sql.SQL(T.table_rows.sql).format(**parts)
            out[table.name] = (
                [r[0] for r in conn.execute(text, {"session_id": sid})],
                [_plain(r) for r in conn.execute(values, {"session_id": sid})],
            )
        for table in shared_tables(conn, scoped):
            query = sql.SQL(T.all_rows_as_text.sql).format(table=sql.Identifier(table.name))
            out[f"shared:{table.name}"] = [r[0] for r in conn.execute(query)]
        out["trace partition"] = T.relation_persistence(conn, name=tracing.partition_name(sid))
    return out


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(v.tolist() if isinstance(v, np.ndarray) else v for v in row)


def test_every_table_round_trips_exactly(pg_pool: Pool, world: World, tmp_path: Path) -> None:
    before = snapshot(pg_pool, world.full)
    empty = [name for name, value in before.items() if isinstance(value, tuple) and not value[0]]
    assert not empty, f"the test session leaves these tables empty: {empty}"
    assert before["trace partition"] == "u"
    plain_before = snapshot(pg_pool, world.plain)
    bystander_before = snapshot(pg_pool, world.bystander)

    for sid in (world.full, world.plain):
        export_session_to_parquet(pg_pool, sid, tmp_path / "archive")
        purge_session(pg_pool, sid, manifest=tmp_path / "archive" / str(sid))
    gone = snapshot(pg_pool, world.full)
    assert all(not v[0] for k, v in gone.items() if isinstance(v, tuple))
    assert gone["trace partition"] is None

    restored = restore_session(pg_pool, tmp_path / "archive" / str(world.full))
    assert restored["game_session"] == 1
    restore_session(pg_pool, tmp_path / "archive" / str(world.plain) / "manifest.json")

    after = snapshot(pg_pool, world.full)
    for name in before:
        assert after[name] == before[name], name
    assert snapshot(pg_pool, world.plain) == plain_before
    assert plain_before["trace partition"] is None
    assert snapshot(pg_pool, world.bystander) == bystander_before

    # the restored session works as before: the runtime reads it back
    rt = PostgresRuntime(pg_pool)
    assert nx.utils.graphs_equal(rt.hydrate_graph(2, session_id=world.full), _graph(2))
    # column types are untouched, so the comparison above was type for type
    with pg_pool.connection() as conn:
        types = dict(T.column_types(conn, table_name="archive_test_extension"))
    assert types["doc"] == "json"
    assert types["docb"] == "jsonb"
    assert types["blob"] == "bytea"
    ext_text = before["archive_test_extension"][0]
    # json kept byte for byte (row text doubles the quotes)
    assert any('""a"" :  1e20, ""b"": -0.0' in row for row in ext_text)


def test_restore_refuses_an_existing_session_unless_replace(
    pg_pool: Pool, world: World, tmp_path: Path
) -> None:
    export_session_to_parquet(pg_pool, world.full, tmp_path)
    before = snapshot(pg_pool, world.full)
    with pytest.raises(SessionExistsError, match=f"session {world.full} is still in the database"):
        restore_session(pg_pool, tmp_path)
    assert snapshot(pg_pool, world.full) == before
    # changed after the export: replace=True brings back the archived state
    rt = PostgresRuntime(pg_pool)
    rt.persist_tick_summary(9, {"late": True}, session_id=world.full)
    rt.persist_tick(5, _graph(5), session_id=world.full)
    tracing.drop_session_partition(pg_pool, world.full)
    restore_session(pg_pool, tmp_path, replace=True)
    assert snapshot(pg_pool, world.full) == before


def test_restore_into_a_session_without_its_partition_then_query_parent_dir(
    pg_pool: Pool, world: World, tmp_path: Path
) -> None:
    """The export directory (one session in it) serves query and restore alike."""
    export_session_to_parquet(pg_pool, world.plain, tmp_path / "out")
    got = query_archived_session(
        tmp_path / "out", "SELECT count(*) AS n FROM node_state WHERE tick = 0"
    )
    assert got == [{"n": 3}]
    purge_session(pg_pool, world.plain, manifest=tmp_path / "out")
    restore_session(pg_pool, tmp_path / "out")
    with pytest.raises(ArchivalError, match="still in the database"):
        restore_session(pg_pool, tmp_path / "out")
