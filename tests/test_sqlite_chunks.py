"""SQLite keeps a tick's nodes and edges in chunks of up to 1,000 (one JSON
array document per chunk), shows them row by row in the node_state and
edge_state views, and converts files written row by row (schema version 2)."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import aiosql
import networkx as nx
import orjson
import pytest

from babylon_sql import RuntimeDatabase
from babylon_sql.errors import SerializationError, ValidationError
from babylon_sql.server.migrations import latest_version, migrate_sqlite, sqlite_version

Q = aiosql.from_path(Path(__file__).parent / "sql" / "sqlite_chunks", "sqlite3")


def _graph(nodes: int, *, int_every: int = 3) -> nx.DiGraph[Any]:
    g: nx.DiGraph[Any] = nx.DiGraph(year=1, nested={"a": [1, None]})
    ids: list[Any] = [i if i % int_every == 0 else f"n{i}" for i in range(nodes)]
    for i, node in enumerate(ids):
        g.add_node(
            node,
            node_type="worker" if i % 2 else {"not": "a key"},
            wealth=i * 0.1,
            big=2**63 - 1,
            neg=-0.0,
            text="x\x00y" if i % 7 == 0 else "\\u0000",
            none=None,
            deep={"x": [1, {"y": None}]},
        )
    for i in range(nodes):
        g.add_edge(ids[i], ids[(i * 7 + 1) % nodes], edge_type="flow", w=i / 3, note=None)
        g.add_edge(ids[i], ids[(i * 13 + 5) % nodes], w=1e20)
    return g


def _same(got: nx.DiGraph[Any], want: nx.DiGraph[Any]) -> None:
    assert nx.utils.graphs_equal(got, want)
    assert list(got.nodes) == list(want.nodes)
    assert list(got.edges) == list(want.edges)
    assert got.graph == want.graph
    for node, attrs in want.nodes(data=True):
        # -0.0 == 0.0: compare the encoded text, which tells them apart.
        assert orjson.dumps(got.nodes[node]) == orjson.dumps(attrs)
    for u, v, attrs in want.edges(data=True):
        assert orjson.dumps(got.edges[u, v]) == orjson.dumps(attrs)


def test_a_tick_is_stored_in_chunks_and_shown_row_by_row() -> None:
    g = _graph(2500)
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(4, g)
        conn = db.connection
        assert tuple(Q.chunk_counts(conn, session_id=db.run_id, tick=4)) == (3, 5)
        _same(db.hydrate_graph(4), g)
        nodes = list(Q.node_rows(conn, session_id=db.run_id, tick=4))
        assert [r[3] for r in nodes] == list(range(2500))
        for (sid, tick, node_id, _, ref, kind, attributes), (node, attrs) in zip(
            nodes, g.nodes(data=True), strict=True
        ):
            assert (sid, tick, node_id) == (db.run_id, 4, str(node))
            assert ref == (str(node) if isinstance(node, int) else None)
            assert kind == (attrs["node_type"] if isinstance(attrs["node_type"], str) else None)
            assert attributes == orjson.dumps(attrs).decode()
        edges = list(Q.edge_rows(conn, session_id=db.run_id, tick=4))
        assert [r[4] for r in edges] == list(range(g.number_of_edges()))
        for row, (u, v, attrs) in zip(edges, g.edges(data=True), strict=True):
            assert row[2:4] == (str(u), str(v))
            assert row[5:7] == (
                str(u) if isinstance(u, int) else None,
                str(v) if isinstance(v, int) else None,
            )
            assert row[7] == attrs.get("edge_type")
            assert json.loads(row[8]) == attrs
        # Persisting the tick again replaces its chunks.
        smaller = _graph(10)
        db.persist_tick(4, smaller)
        assert tuple(Q.chunk_counts(conn, session_id=db.run_id, tick=4)) == (1, 1)
        _same(db.hydrate_graph(4), smaller)


def test_an_empty_graph_has_no_chunks() -> None:
    g: nx.DiGraph[Any] = nx.DiGraph(name="empty")
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(0, g)
        assert tuple(Q.chunk_counts(db.connection, session_id=db.run_id, tick=0)) == (0, 0)
        _same(db.hydrate_graph(0), g)


def test_chunks_above_the_document_limit_are_fine_a_row_above_it_is_not() -> None:
    g: nx.DiGraph[Any] = nx.DiGraph()
    for i in range(50):
        g.add_node(f"n{i}", pad="p" * 600)
    for i in range(49):
        g.add_edge(f"n{i}", f"n{i + 1}", pad="q" * 600)
    with RuntimeDatabase(in_memory=True, max_document_bytes=1000) as db:
        db.persist_tick(0, g)
        _same(db.hydrate_graph(0), g)
        g.nodes["n30"]["pad"] = "p" * 1000
        with pytest.raises(ValidationError, match="node 'n30': encoded document is 1,010 bytes"):
            db.persist_tick(1, g)
        g.nodes["n30"]["pad"] = "p"
        g.edges["n40", "n41"]["pad"] = "q" * 1000
        with pytest.raises(ValidationError, match="edge 'n40'->'n41'"):
            db.persist_tick(1, g)
        assert db.latest_tick() == 0
        assert tuple(Q.chunk_counts(db.connection, session_id=db.run_id, tick=1)) == (0, 0)


def test_the_first_bad_row_of_a_chunk_is_named() -> None:
    g = _graph(1500)
    g.nodes["n1201"]["bad"] = float("nan")
    g.nodes["n1202"]["bad"] = object()
    with RuntimeDatabase(in_memory=True) as db:
        with pytest.raises(SerializationError, match="node 'n1201': attribute 'bad' holds NaN"):
            db.persist_tick(0, g)
        del g.nodes["n1201"]["bad"]
        with pytest.raises(SerializationError, match="node 'n1202': attribute 'bad'"):
            db.persist_tick(0, g)
        del g.nodes["n1202"]["bad"]
        g.edges["n1", "n8"]["inf"] = [1.0, float("-inf")]
        with pytest.raises(SerializationError, match="edge 'n1'->'n8': attribute 'inf'"):
            db.persist_tick(0, g)
        assert db.latest_tick() is None


def test_the_deepest_document_orjson_writes_round_trips_in_a_chunk() -> None:
    def nested(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth):
            value = [value]
        return value

    depth = 1
    while True:  # the deepest attribute a document of its own may hold
        try:
            orjson.dumps({"d": nested(depth + 1)})
        except orjson.JSONEncodeError:
            break
        depth += 1
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("a", d=nested(depth))
    g.add_node("b", d=1)
    g.add_edge("a", "b", d=nested(depth))
    with RuntimeDatabase(in_memory=True) as db:
        db.persist_tick(0, g)
        _same(db.hydrate_graph(0), g)


def _v2_rows(g: nx.DiGraph[Any], sid: str, tick: int) -> tuple[list[Any], list[Any]]:
    """The rows the version-2 writer stored for ``g``."""

    def key(node: Any) -> tuple[str, str | None]:
        return (str(node), str(node)) if isinstance(node, int) else (node, None)

    def kind(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    nodes = [
        (sid, tick, *key(n)[:1], i, key(n)[1], kind(a.get("node_type")), orjson.dumps(a).decode())
        for i, (n, a) in enumerate(g.nodes(data=True))
    ]
    edges = [
        (sid, tick, key(u)[0], key(v)[0], i, key(u)[1], key(v)[1], kind(a.get("edge_type")),
         orjson.dumps(a).decode())
        for i, (u, v, a) in enumerate(g.edges(data=True))
    ]  # fmt: skip
    return nodes, edges


def test_row_per_node_files_are_converted_to_chunks(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path)
    migrate_sqlite(conn, target=2)
    sid = str(uuid.UUID(int=5))
    graphs = {0: _graph(2300), 1: _graph(3), 2: nx.DiGraph(year=1, nested={"a": [1, None]})}
    before = {}
    for tick, g in graphs.items():
        nodes, edges = _v2_rows(g, sid, tick)
        Q.v2_insert_snapshot(conn, session_id=sid, tick=tick, graph_attrs=json.dumps(g.graph),
                             node_count=len(nodes), edge_count=len(edges))  # fmt: skip
        Q.v2_insert_nodes(conn, nodes)
        Q.v2_insert_edges(conn, edges)
        before[tick] = (
            list(Q.node_rows(conn, session_id=sid, tick=tick)),
            list(Q.edge_rows(conn, session_id=sid, tick=tick)),
        )
    conn.commit()
    conn.close()

    with RuntimeDatabase(run_id="v2", base_dir=tmp_path) as db:
        assert sqlite_version(db.connection) == latest_version("sqlite") >= 3
        for tick, g in graphs.items():
            _same(db.hydrate_graph(tick, session_id=uuid.UUID(sid)), g)
            after = (
                list(Q.node_rows(db.connection, session_id=sid, tick=tick)),
                list(Q.edge_rows(db.connection, session_id=sid, tick=tick)),
            )
            assert after == before[tick]
        counts = tuple(Q.chunk_counts(db.connection, session_id=sid, tick=0))
        assert counts == (3, 5)
        # The converted ticks are replaced like any other.
        db.persist_tick(0, graphs[1], session_id=uuid.UUID(sid))
        _same(db.hydrate_graph(0, session_id=uuid.UUID(sid)), graphs[1])
