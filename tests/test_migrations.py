"""Versioned migrations: file names, migrated == fresh, rows kept, SQLite too."""

from __future__ import annotations

import re
import sqlite3
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import psycopg
import pytest
from conftest import PgServer
from psycopg import sql
from psycopg_pool import ConnectionPool

from babylon_sql import PgVectorStore, PostgresRuntime, RuntimeDatabase
from babylon_sql.catalogue import queries
from babylon_sql.errors import SchemaError
from babylon_sql.server.dump import dump_schema
from babylon_sql.server.migrations import (
    latest_version,
    migrate_sqlite,
    migration_file_problems,
    migrations,
    migrations_dir,
    schema_status,
    sqlite_version,
)
from babylon_sql.server.pool import configure_connection
from babylon_sql.server.schema import SkippedObjectsWarning, apply_schema

Pool = ConnectionPool[psycopg.Connection[Any]]


def _apply(dsn: str, **kwargs: Any) -> Any:
    with psycopg.connect(dsn) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        return apply_schema(conn, **kwargs)


@pytest.fixture
def pool_of() -> Iterator[Any]:
    pools: list[Pool] = []

    def make(dsn: str) -> Pool:
        pool: Pool = ConnectionPool(
            dsn, min_size=1, max_size=2, configure=configure_connection, open=True
        )
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


# --------------------------------------------------------------------------
# file names


@pytest.mark.parametrize("dialect", ["pg", "sqlite"])
def test_every_migration_file_is_numbered_contiguously_and_named(dialect: Any) -> None:
    names = sorted(p.name for p in migrations_dir(dialect).iterdir())
    assert names, dialect
    assert all(n.endswith(".sql") for n in names), names
    assert migration_file_problems(names) == []
    found = migrations(dialect)
    assert [m.version for m in found] == list(range(1, len(names) + 1))
    for m in found:
        assert re.fullmatch(r"\d{4}_[a-z][a-z0-9_]*\.sql", m.file_name)
        assert m.text.splitlines()[0] == f"-- name: {m.name}#"
    assert found[0].name == "initial"


def test_bad_migration_file_sets_are_named() -> None:
    assert "used twice" in " ".join(migration_file_problems(["0001_a.sql", "0001_b.sql"]))
    assert "without gaps" in " ".join(migration_file_problems(["0001_a.sql", "0003_b.sql"]))
    assert "without gaps" in " ".join(migration_file_problems(["0002_a.sql"]))
    bad = migration_file_problems(["001_a.sql", "0002_B.sql", "0003-c.sql"])
    assert sum("NNNN_description.sql" in p for p in bad) == 3


# --------------------------------------------------------------------------
# PostgreSQL


def test_a_fresh_database_is_stamped_at_the_latest_version(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn) as conn:
        status = schema_status(conn)
    assert status.version == status.latest == latest_version("pg")
    assert [r.how for r in status.rows] == ["fresh"] * status.latest
    assert status.pending == ()
    assert status.edited == ()
    assert not status.legacy


def test_migrating_from_the_first_migration_gives_the_fresh_schema(
    empty_pg_dsn: str, pg_dsn: str
) -> None:
    first = _apply(empty_pg_dsn, target=1)
    assert first.version == 1
    assert first.migrated == ("0001_initial.sql",)
    report = _apply(empty_pg_dsn)
    assert report.version_before == 1
    assert report.migrated == tuple(m.file_name for m in migrations("pg")[1:])
    assert dump_schema(empty_pg_dsn) == dump_schema(pg_dsn)
    with psycopg.connect(empty_pg_dsn) as conn:
        status = schema_status(conn)
    assert [r.how for r in status.rows] == ["migrated"] * status.latest


def _table_digests(dsn: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every table's rows."""
    out = {}
    with psycopg.connect(dsn) as conn:
        tables = [
            name
            for name, kind, _ in queries("pg").server.schema_objects(conn)
            if kind == "table" and name != "babylon_schema_version"
        ]
        for name in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} AS t"
            ).format(sql.Identifier(name))
            row = conn.execute(query).fetchone()
            assert row is not None
            out[name] = (int(row[0]), str(row[1]))
    return out


#: Tables a later migration rebuilds or widens: their rows are checked by
#: meaning after the migration, every other table byte for byte.
REBUILT = {"game_session", "game_turn", "action_result", "contradiction_field"}
REBUILT |= {"edge_curvature", "tick_log", "graph_snapshot", "node_state", "edge_state"}


def test_rows_written_at_an_older_version_survive_the_migration(
    pg_server: PgServer, empty_pg_dsn: str, pg_dsn: str, pool_of: Any
) -> None:
    _apply(empty_pg_dsn, target=1)
    sid = uuid.uuid4()
    with psycopg.connect(empty_pg_dsn) as conn:
        _test_sql("migrations").insert_v1_rows(conn, session_id=sid)
    g: nx.DiGraph[Any] = nx.DiGraph(year=1)
    g.add_node("a", node_type="worker", wealth=1.5)
    g.add_node("b")
    g.add_edge("a", "b", w=2)
    pool = pool_of(empty_pg_dsn)
    if pg_server.has("vector"):
        vectors = np.random.default_rng(0).random((3, 768), dtype=np.float32)
        store = PgVectorStore(pool, dimension=768, collection="old")
        store.add_chunks(
            [{"id": f"c{i}", "document": "d", "embedding": v} for i, v in enumerate(vectors)]
        )
    before = _table_digests(empty_pg_dsn)
    assert sum(count for count, _ in before.values()) >= 10
    pool.close()

    report = _apply(empty_pg_dsn)
    assert report.version == latest_version("pg")
    after = _table_digests(empty_pg_dsn)
    assert {k: v for k, v in after.items() if k not in REBUILT and k in before} == {
        k: v for k, v in before.items() if k not in REBUILT
    }
    assert all(after[k][0] == 0 for k in after.keys() - before.keys())  # new tables
    assert {k: after[k][0] for k in REBUILT} == {
        "game_session": 1,
        "game_turn": 3,
        "action_result": 2,
        "contradiction_field": 2,
        "edge_curvature": 1,
        "tick_log": 1,
        "graph_snapshot": 2,
        "node_state": 4,
        "edge_state": 2,
    }
    assert dump_schema(empty_pg_dsn) == dump_schema(pg_dsn)

    # Old rows read back through the API of today.
    rt = PostgresRuntime(pool_of(empty_pg_dsn))
    for tick in (0, 1):
        hydrated = rt.hydrate_graph(tick, session_id=sid)
        assert nx.utils.graphs_equal(hydrated, g)
        assert hydrated.graph == {"year": 1}
    rt.persist_tick(1, g, session_id=sid)  # a replace of an old tick: the next generation
    assert nx.utils.graphs_equal(rt.hydrate_graph(1, session_id=sid), g)
    assert rt.get_events(0, session_id=sid) == [{"type": "x"}]
    assert rt.get_metadata("k", session_id=sid) == "v"
    assert rt.get_tick_summary(0, session_id=sid) == {"total": 3}
    assert [t["data"] for t in rt.get_traces(sid)] == [{"n": 1}]
    info = rt.get_session(sid)
    assert info is not None
    assert (info.name, info.status, info.config) == ("old", "running", {"seed": 1})
    turns = {t["org_id"]: t for t in rt.get_pending_turns(sid, 0)}
    assert set(turns) == {"p1#0", "p1#1", "p2"}
    assert turns["p1#1"]["verb"] == "legacy"
    results = rt.get_action_results(0, session_id=sid)
    assert [r["action_id"] for r in results] == ["a", "b"]
    assert results[1]["gain"] == 2
    fields, curvatures = rt.hydrate_contradiction_fields(0, session_id=sid)
    assert fields == [
        {"field_name": "class", "value": {"level": 2}},
        {"field_name": "heat", "value": 0.5},
    ]
    assert curvatures == [{"source_id": "a", "target_id": "b", "curvature": -0.25}]
    log = rt.get_tick_log(0, session_id=sid)
    assert log is not None
    assert (log["rng_state"], log["wall_time_ms"]) == ([1, 2, 3], 12.5)


def _test_sql(folder: str) -> Any:
    import aiosql

    return aiosql.from_path(Path(__file__).parent / "sql" / folder, "psycopg")


def test_a_database_from_before_versioning_is_baselined_then_migrated(
    empty_pg_dsn: str, pg_dsn: str
) -> None:
    _apply(empty_pg_dsn, target=1)
    with psycopg.connect(empty_pg_dsn) as conn:
        # What init_schema() built before versioning: 0001 without the table.
        conn.execute(sql.SQL("DROP TABLE babylon_schema_version"))
        assert schema_status(conn).legacy
    report = _apply(empty_pg_dsn)
    assert report.baseline
    assert report.version_before is None
    assert report.migrated[0] == "0002_comments.sql"
    assert dump_schema(empty_pg_dsn) == dump_schema(pg_dsn)
    with psycopg.connect(empty_pg_dsn) as conn:
        hows = [r.how for r in schema_status(conn).rows]
    assert hows == ["baseline"] + ["migrated"] * (latest_version("pg") - 1)


def test_init_schema_applies_pending_migrations(empty_pg_dsn: str, pool_of: Any) -> None:
    _apply(empty_pg_dsn, target=2)
    rt = PostgresRuntime(pool_of(empty_pg_dsn))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        report = rt.init_schema()
        again = rt.init_schema()
    assert report.version_before == 2
    assert report.version == latest_version("pg")
    assert again.migrated == ()
    assert again.applied == ()


def test_dry_run_reports_and_changes_nothing(empty_pg_dsn: str) -> None:
    _apply(empty_pg_dsn, target=1)
    before = dump_schema(empty_pg_dsn)
    report = _apply(empty_pg_dsn, dry_run=True)
    assert report.dry_run
    assert len(report.migrated) == latest_version("pg") - 1
    assert dump_schema(empty_pg_dsn) == before
    with psycopg.connect(empty_pg_dsn) as conn:
        assert schema_status(conn).version == 1


def test_a_newer_or_downgraded_database_is_refused(empty_pg_dsn: str) -> None:
    _apply(empty_pg_dsn, target=2)
    with pytest.raises(SchemaError, match="down to 1"):
        _apply(empty_pg_dsn, target=1)
    with pytest.raises(SchemaError, match="target version"):
        _apply(empty_pg_dsn, target=latest_version("pg") + 1)
    with psycopg.connect(empty_pg_dsn) as conn:
        queries("pg").server.stamp_schema_version(
            conn, version=999, name="future", how="migrated", checksum="x"
        )
    with pytest.raises(SchemaError, match="newer than this babylon-sql"):
        _apply(empty_pg_dsn)


def test_a_failing_migration_leaves_the_database_at_its_version(
    empty_pg_dsn: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _apply(empty_pg_dsn, target=1)
    before = dump_schema(empty_pg_dsn)
    broken = tmp_path / "0002_comments.sql"
    broken.write_text("-- name: comments#\nCOMMENT ON INDEX no_such_index IS 'x';\n")
    second = migrations("pg")[1]
    monkeypatch.setattr(type(second), "text", property(lambda self: broken.read_text()))
    with pytest.raises(SchemaError, match=r"0002_comments\.sql failed"):
        _apply(empty_pg_dsn)
    assert dump_schema(empty_pg_dsn) == before


def test_status_flags_a_migration_edited_after_it_was_applied(pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn) as conn:
        conn.execute(
            sql.SQL("UPDATE babylon_schema_version SET checksum = 'old' WHERE version = 2")
        )
        status = schema_status(conn)
    assert [m.version for m in status.edited] == [2]


# --------------------------------------------------------------------------
# SQLite


def _sqlite_schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """sqlite_master without comments, identifier quotes and layout."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    out = []
    for kind, name, text in rows:
        text = re.sub(r"--[^\n]*", "", text or "")
        text = re.sub(r'"(\w+)"', r"\1", text)
        out.append((kind, name, " ".join(text.split())))
    return out


def test_sqlite_migrated_from_the_first_migration_equals_fresh() -> None:
    fresh = RuntimeDatabase(in_memory=True)
    assert sqlite_version(fresh.connection) == latest_version("sqlite")
    old = sqlite3.connect(":memory:")
    migrate_sqlite(old, target=1)
    report = migrate_sqlite(old)
    assert report.version_before == 1
    assert report.version == latest_version("sqlite")
    assert _sqlite_schema(old) == _sqlite_schema(fresh.connection)
    fresh.close()


def test_sqlite_rows_survive_the_migration_and_old_files_are_baselined(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    migrate_sqlite(conn, target=1)
    conn.execute("PRAGMA user_version = 0")  # a file from before versioning
    conn.close()
    g: nx.DiGraph[Any] = nx.DiGraph(year=1)
    g.add_node("a", wealth=1.5)
    g.add_node("b")
    g.add_edge("a", "b", w=2)
    # Written through the version-1 schema, by hand as the old code did.
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO graph_snapshot (session_id, tick, node_count, edge_count) "
        "VALUES ('s', 0, 2, 1)"
    )
    conn.execute("INSERT INTO node_state VALUES ('s', 0, 'a', 0, NULL, NULL, '{}')")
    conn.execute("INSERT INTO tick_log (session_id, tick) VALUES ('s', 0)")
    conn.commit()
    tables = ["graph_snapshot", "node_state", "tick_log"]
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in tables}
    conn.close()

    db = RuntimeDatabase(run_id="old", base_dir=tmp_path)  # opening migrates
    assert sqlite_version(db.connection) == latest_version("sqlite")
    after = {
        t: db.connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in tables
    }
    assert after == before
    assert db.foreign_keys
    fresh = RuntimeDatabase(in_memory=True)
    assert _sqlite_schema(db.connection) == _sqlite_schema(fresh.connection)
    # The rebuilt tables keep their foreign keys and checks.
    db.persist_tick(1, g, session_id=uuid.UUID(int=1))
    with pytest.raises(sqlite3.IntegrityError, match="graph_snapshot_tick_check"):
        db.connection.execute(
            "INSERT INTO graph_snapshot (session_id, tick, node_count, edge_count) "
            "VALUES ('s', -1, 0, 0)"
        )
    db.close()
    fresh.close()


def test_a_newer_sqlite_file_is_refused() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaError, match="newer than this"):
        migrate_sqlite(conn)


# --------------------------------------------------------------------------
# DDL discipline


def test_sqlite_checks_are_named_with_a_why_and_tables_say_what_they_hold() -> None:
    from babylon_sql.catalogue import ddl_layers

    for layer in ddl_layers("sqlite"):
        lines = layer.path.read_text().splitlines()
        for i, line in enumerate(lines):
            if "CHECK" in line and not line.startswith("--"):
                assert re.match(r"\s*CONSTRAINT \w+_check CHECK", line), f"{layer.path}:{i + 1}"
                assert lines[i - 1].strip().startswith("-- why:"), f"{layer.path}:{i + 1}"
            if line.startswith("CREATE TABLE"):
                assert lines[i - 1].startswith("-- table:"), f"{layer.path}:{i + 1}"


def test_every_pg_index_comment_is_its_why_line() -> None:
    from babylon_sql.catalogue import ddl_layers

    for layer in ddl_layers("pg"):
        text = layer.path.read_text()
        for why, name in re.findall(
            r"-- why: (.+)\nCREATE INDEX IF NOT EXISTS (\w+)", text, flags=re.MULTILINE
        ):
            comment = f"COMMENT ON INDEX {name} IS '{why.replace(chr(39), chr(39) * 2)}';"
            assert comment in text, (layer.path.name, name)
