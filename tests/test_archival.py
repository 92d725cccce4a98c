"""Archival pipeline: export to Parquet, upload to an S3 server, purge, query.

The S3 side is moto's ThreadedMotoServer: a real S3-protocol HTTP server on
127.0.0.1, spoken to by boto3 over HTTP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosql
import duckdb
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from psycopg_pool import ConnectionPool

from babylon_sql.archive import pipeline as archival
from babylon_sql.errors import ArchivalError, SessionNotFoundError, ValidationError
from babylon_sql.traces import store as tracing

Pool = ConnectionPool[psycopg.Connection[Any]]

T = aiosql.from_path(Path(__file__).parent / "sql" / "archival", "psycopg")

TENSOR = [float(i) + 0.5 for i in range(12)]


@dataclass(frozen=True)
class Seeded:
    sid: uuid.UUID
    other: uuid.UUID
    with_vectors: bool


def seed_session(conn: psycopg.Connection[Any], sid: uuid.UUID, n: int, vectors: bool) -> None:
    T.insert_session(conn, session_id=sid, name=f"session {n}")
    T.insert_session_metadata(conn, session_id=sid, key="end_tick", value=str(n))
    for tick in range(n):
        T.insert_graph_snapshot(conn, session_id=sid, tick=tick)
        for seq in range(2):
            T.insert_simulation_event(
                conn, session_id=sid, tick=tick, seq=seq, event_type=f"e{seq}"
            )
        T.insert_tick_summary(
            conn, session_id=sid, tick=tick, summary=json.dumps({"tick": tick, "gini": 0.5})
        )
        T.insert_territory_snapshot(
            conn, game_id=sid, tick=tick, county_fips="01001", value_tensor=TENSOR
        )
        T.insert_hex_activity(conn, game_id=sid, tick=tick, h3_index=608533827635118079, heat=1.5)
    if vectors:
        T.insert_vector_collection(conn, collection="lore", dimension=3)
        T.insert_document_chunk(
            conn,
            collection="lore",
            chunk_id=f"c-{sid.hex[:8]}",
            session_id=sid,
            document="text",
            embedding="[0.5, -1, 2.25]",
        )


@pytest.fixture
def seeded(pg_pool: Pool, pg_server: Any) -> Seeded:
    sid, other = uuid.uuid4(), uuid.uuid4()
    vectors = pg_server.has("vector")
    with pg_pool.connection() as conn:
        seed_session(conn, sid, 3, vectors)
        seed_session(conn, other, 2, vectors)
    tracing.create_session_partition(pg_pool, sid)
    for tick in range(3):
        tracing.persist_traces(
            pg_pool,
            sid,
            tick,
            [{"system": "S", "event": "e", "data": {"tick": tick, "k": i}} for i in range(4)],
        )
    tracing.persist_traces(pg_pool, other, 0, [{"system": "S", "event": "o", "data": {}}])
    return Seeded(sid, other, vectors)


def counts(pool: Pool, sid: uuid.UUID) -> dict[str, int]:
    with pool.connection() as conn:
        row = T.session_row_counts(conn, session_id=sid)
        names = [
            "game_session",
            "session_metadata",
            "graph_snapshot",
            "simulation_event",
            "tick_summary",
            "territory_snapshot",
            "hex_activity",
            "trace_log",
        ]
        result = dict(zip(names, row, strict=True))
        result["document_chunk"] = T.count_document_chunks(conn, session_id=sid)
        return result


EXPECTED_TABLES = {
    "game_session",
    "session_metadata",
    "graph_snapshot",
    "simulation_event",
    "tick_summary",
    "territory_snapshot",
    "hex_activity",
    "trace_log",
    "node_state",
    "edge_state",
    "tick_log",
}


# --------------------------------------------------------------------------
# Export


def test_export_writes_every_session_table(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    target = tmp_path / str(seeded.sid)
    assert paths[-1] == str(target / "manifest.json")
    files = {Path(p).stem: Path(p) for p in paths[:-1]}
    assert set(files) >= EXPECTED_TABLES
    assert all(Path(p).parent == target for p in paths)
    assert not list(target.glob("*.part"))
    with pg_pool.connection() as conn:
        scoped = archival.session_tables(conn)
        catalog = {t.name for t in scoped}
        shared = {t.name for t in archival.shared_tables(conn, scoped)}
    assert set(files) == catalog | (shared if seeded.with_vectors else set())

    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["session_id"] == str(seeded.sid)
    want = counts(pg_pool, seeded.sid)
    for table, n in want.items():
        assert manifest["tables"][table]["rows"] == n, table
    for table, entry in manifest["tables"].items():
        data = files[table].read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert pq.read_metadata(files[table]).num_rows == entry["rows"]
    assert want["trace_log"] == 12
    assert want["simulation_event"] == 6


def test_export_types_and_values(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    target = tmp_path / str(seeded.sid)

    session = pq.read_table(target / "game_session.parquet")
    assert session.schema.field("session_id").type == pa.string()
    assert session.schema.field("session_id").metadata == {b"pg_type": b"uuid"}
    assert session.schema.field("created_at").type == pa.timestamp("us", tz="UTC")
    assert session.column("session_id").to_pylist() == [str(seeded.sid)]
    assert json.loads(session.column("config")[0].as_py()) == {"seed": 7, "scenario": "test"}

    summary = pq.read_table(target / "tick_summary.parquet")
    assert summary.column("tick").to_pylist() == [0, 1, 2]
    assert summary.schema.field("tick").type == pa.int32()
    assert summary.column("recorded_at")[0].as_py() == dt.datetime(
        2026, 1, 2, 3, 4, 5, 123456, tzinfo=dt.UTC
    )
    assert json.loads(summary.column("summary")[2].as_py()) == {"tick": 2, "gini": 0.5}

    territory = pq.read_table(target / "territory_snapshot.parquet")
    assert territory.schema.field("value_tensor").type == pa.list_(pa.float64())
    assert territory.column("value_tensor").to_pylist() == [TENSOR] * 3
    assert territory.column("game_id").to_pylist() == [str(seeded.sid)] * 3
    assert territory.schema.field("pop_total").type == pa.int64()

    hexes = pq.read_table(target / "hex_activity.parquet")
    assert hexes.column("h3_index").to_pylist() == [608533827635118079] * 3

    traces = pq.read_table(target / "trace_log.parquet")
    assert traces.schema.field("level").type == pa.int16()
    assert [(r["tick"], r["seq"]) for r in traces.select(["tick", "seq"]).to_pylist()] == [
        (t, s) for t in range(3) for s in range(4)
    ]
    assert json.loads(traces.column("data")[5].as_py()) == {"tick": 1, "k": 1}

    if seeded.with_vectors:
        chunks = pq.read_table(target / "document_chunk.parquet")
        assert chunks.schema.field("embedding").type == pa.list_(pa.float32())
        assert chunks.schema.field("embedding").metadata == {b"pg_type": b"vector"}
        assert chunks.column("embedding").to_pylist() == [[0.5, -1.0, 2.25]]


def test_empty_tables_get_a_file_with_their_schema(
    pg_pool: Pool, seeded: Seeded, tmp_path: Path
) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    empty = pq.read_table(tmp_path / str(seeded.sid) / "edge_state.parquet")
    assert empty.num_rows == 0
    assert "source_id" in empty.schema.names
    assert empty.schema.field("session_id").type == pa.string()


def test_export_holds_only_that_session(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    target = tmp_path / str(seeded.sid)
    manifest = json.loads((target / "manifest.json").read_text())
    for file in target.glob("*.parquet"):
        if manifest["tables"][file.stem].get("shared"):
            continue
        table = pq.read_table(file)
        column = table.schema.metadata[b"session_column"].decode()
        assert set(table.column(column).to_pylist()) <= {str(seeded.sid)}, file.name


def test_export_again_replaces_the_files(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    tracing.persist_traces(pg_pool, seeded.sid, 9, [{"system": "S", "event": "late"}])
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    manifest = json.loads((tmp_path / str(seeded.sid) / "manifest.json").read_text())
    assert manifest["tables"]["trace_log"]["rows"] == 13


def test_export_refuses_unknown_or_bad_sessions(pg_pool: Pool, tmp_path: Path) -> None:
    missing = uuid.uuid4()
    with pytest.raises(SessionNotFoundError, match=str(missing)):
        archival.export_session_to_parquet(pg_pool, missing, tmp_path)
    assert not (tmp_path / str(missing)).exists()
    with pytest.raises(ValidationError, match="session_id"):
        archival.export_session_to_parquet(pg_pool, "../etc", tmp_path)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Query with DuckDB


def test_query_archived_directory_and_file(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    target = tmp_path / str(seeded.sid)
    got = archival.query_archived_session(
        target,
        "SELECT e.tick, count(*) AS n FROM simulation_event AS e "
        "JOIN graph_snapshot AS g USING (session_id, tick) GROUP BY e.tick ORDER BY e.tick",
    )
    assert got == [{"tick": 0, "n": 2}, {"tick": 1, "n": 2}, {"tick": 2, "n": 2}]
    got = archival.query_archived_session(
        target / "trace_log.parquet",
        "SELECT count(*) AS n, max(CAST(data->>'k' AS INTEGER)) AS k FROM archive WHERE tick >= ?",
        [1],
    )
    assert got == [{"n": 8, "k": 3}]
    got = archival.query_archived_session(
        target / "tick_summary.parquet", "SELECT tick FROM archive WHERE tick = $t", {"t": 2}
    )
    assert got == [{"tick": 2}]


def test_query_errors_are_archival_errors(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    target = tmp_path / str(seeded.sid)
    with pytest.raises(ArchivalError, match="no_such_table"):
        archival.query_archived_session(target, "SELECT * FROM no_such_table")
    with pytest.raises(ArchivalError, match="no archive"):
        archival.query_archived_session(tmp_path / "nothing", "SELECT 1")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchivalError, match="holds no session archive"):
        archival.query_archived_session(tmp_path / "empty", "SELECT 1")
    # the export directory with one session in it is that session; with two, both are named
    assert archival.query_archived_session(tmp_path, "SELECT count(*) AS n FROM game_session") == [
        {"n": 1}
    ]
    archival.export_session_to_parquet(pg_pool, seeded.other, tmp_path)
    with pytest.raises(ArchivalError, match="holds 2 session archives") as info:
        archival.query_archived_session(tmp_path, "SELECT 1")
    assert str(seeded.sid) in str(info.value)
    assert str(seeded.other) in str(info.value)
    manifest = tmp_path / str(seeded.other) / "manifest.json"
    got = archival.query_archived_session(manifest, "SELECT session_id FROM game_session")
    assert got == [{"session_id": str(seeded.other)}]
    with pytest.raises(ArchivalError, match="syntax error") as info:
        archival.query_archived_session(target, "SELEC nonsense")
    assert isinstance(info.value.__cause__, duckdb.Error)


# --------------------------------------------------------------------------
# Upload to an S3-protocol server


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        import boto3

        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket="archive-test")
        yield client
    finally:
        server.stop()


def test_upload_and_verify(pg_pool: Pool, seeded: Seeded, tmp_path: Path, s3: Any) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    keys = archival.upload_to_r2(paths, "archive-test", "runs/", client=s3)
    assert keys == [f"runs/{seeded.sid}/{Path(p).name}" for p in paths]
    for path, key in zip(paths, keys, strict=True):
        obj = s3.get_object(Bucket="archive-test", Key=key)
        body = obj["Body"].read()
        assert body == Path(path).read_bytes()
        assert obj["Metadata"]["sha256"] == hashlib.sha256(body).hexdigest()
    # the alias, without a prefix, with a client built from an endpoint URL
    endpoint = s3.meta.endpoint_url
    keys = archival.upload_to_object_store(paths[:1], "archive-test", endpoint_url=endpoint)
    assert keys == [f"{seeded.sid}/{Path(paths[0]).name}"]


def test_multipart_upload_is_verified(tmp_path: Path, s3: Any) -> None:
    big = tmp_path / "sess" / "big.parquet"
    big.parent.mkdir()
    big.write_bytes(bytes(range(256)) * (6 * 4096 + 7))  # a bit over 6 MiB
    (key,) = archival.upload_to_r2([big], "archive-test", client=s3, multipart_threshold=5 << 20)
    head = s3.head_object(Bucket="archive-test", Key=key)
    assert head["ETag"].strip('"').endswith("-2")
    assert head["ContentLength"] == big.stat().st_size


def test_upload_errors(tmp_path: Path, s3: Any) -> None:
    file = tmp_path / "s" / "t.parquet"
    file.parent.mkdir()
    file.write_bytes(b"PAR1")
    with pytest.raises(ArchivalError, match="no such file"):
        archival.upload_to_r2([tmp_path / "missing.parquet"], "archive-test", client=s3)
    with pytest.raises(ArchivalError, match="no-such-bucket"):
        archival.upload_to_r2([file], "no-such-bucket", client=s3)
    with pytest.raises(ValidationError, match="bucket"):
        archival.upload_to_r2([file], "", client=s3)
    with pytest.raises(ValidationError, match="5 MiB"):
        archival.upload_to_r2([file], "archive-test", client=s3, multipart_threshold=1024)


# --------------------------------------------------------------------------
# Purge


def test_purge_after_verified_export(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    before_other = counts(pg_pool, seeded.other)
    expected = counts(pg_pool, seeded.sid)
    deleted = archival.purge_session(pg_pool, seeded.sid, manifest=paths[-1])
    for table, n in expected.items():
        assert deleted[table] == n, table
    assert set(counts(pg_pool, seeded.sid).values()) == {0}
    assert counts(pg_pool, seeded.other) == before_other
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=tracing.partition_name(seeded.sid)) is None
    # the archive still answers
    got = archival.query_archived_session(
        Path(paths[-1]).parent, "SELECT count(*) AS n FROM trace_log"
    )
    assert got == [{"n": expected["trace_log"]}]
    # purging again: the session is gone
    with pytest.raises(SessionNotFoundError):
        archival.purge_session(pg_pool, seeded.sid, manifest=Path(paths[-1]).parent)


def test_purge_refuses_a_stale_manifest(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    tracing.persist_traces(pg_pool, seeded.sid, 7, [{"system": "S", "event": "late"}])
    before = counts(pg_pool, seeded.sid)
    with pytest.raises(ArchivalError, match="trace_log: 13 rows in the database, 12 exported"):
        archival.purge_session(pg_pool, seeded.sid, manifest=paths[-1])
    assert counts(pg_pool, seeded.sid) == before
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=tracing.partition_name(seeded.sid)) == "u"


def test_purge_refuses_altered_or_missing_files(
    pg_pool: Pool, seeded: Seeded, tmp_path: Path
) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    before = counts(pg_pool, seeded.sid)
    target = Path(paths[-1]).parent
    with (target / "tick_summary.parquet").open("ab") as f:
        f.write(b"x")
    with pytest.raises(ArchivalError, match=r"tick_summary: file .* has \d+ bytes"):
        archival.purge_session(pg_pool, seeded.sid, manifest=paths[-1])
    (target / "hex_activity.parquet").unlink()
    with pytest.raises(ArchivalError, match=r"hex_activity: file .* is missing"):
        archival.purge_session(pg_pool, seeded.sid, manifest=paths[-1])
    assert counts(pg_pool, seeded.sid) == before


def test_purge_refuses_a_missing_table_or_another_sessions_manifest(
    pg_pool: Pool, seeded: Seeded, tmp_path: Path
) -> None:
    paths = archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    other_paths = archival.export_session_to_parquet(pg_pool, seeded.other, tmp_path)
    before = counts(pg_pool, seeded.sid)
    with pytest.raises(ArchivalError, match="manifest of session"):
        archival.purge_session(pg_pool, seeded.sid, manifest=other_paths[-1])
    manifest_path = Path(paths[-1])
    manifest = json.loads(manifest_path.read_text())
    del manifest["tables"]["simulation_event"]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ArchivalError, match="simulation_event: 6 rows in the database, none"):
        archival.purge_session(pg_pool, seeded.sid, manifest=manifest_path)
    assert counts(pg_pool, seeded.sid) == before


def test_purge_needs_a_manifest(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    before = counts(pg_pool, seeded.sid)
    with pytest.raises(ArchivalError, match="needs the manifest"):
        archival.purge_session(pg_pool, seeded.sid)
    with pytest.raises(ArchivalError, match="no archive at"):
        archival.purge_session(pg_pool, seeded.sid, manifest=tmp_path / "none.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ArchivalError, match="cannot read"):
        archival.purge_session(pg_pool, seeded.sid, manifest=tmp_path / "broken.json")
    (tmp_path / "bad.json").write_text('{"tables": 1}')
    with pytest.raises(ArchivalError, match="not a babylon-sql"):
        archival.purge_session(pg_pool, seeded.sid, manifest=tmp_path / "bad.json")
    with pytest.raises(ValidationError, match="session_id"):
        archival.purge_session(pg_pool, 42, manifest=tmp_path / "bad.json")  # type: ignore[arg-type]
    assert counts(pg_pool, seeded.sid) == before


def test_upload_without_boto3_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    file = tmp_path / "s" / "t.parquet"
    file.parent.mkdir()
    file.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "boto3", None)  # as if boto3 were not installed
    with pytest.raises(ArchivalError, match=r"pip install 'babylon-sql\[s3\]'"):
        archival.upload_to_r2([file], "archive-test")


def test_purge_alongside_other_sessions_tracing(pg_dsn: str, tmp_path: Path) -> None:
    """A purge runs while other sessions create partitions and write traces."""
    from concurrent.futures import ThreadPoolExecutor

    from babylon_sql.server.pool import open_pool

    with open_pool(pg_dsn, min_size=4, max_size=8) as pool:
        victim = uuid.uuid4()
        others = [uuid.uuid4() for _ in range(3)]
        with pool.connection() as conn:
            for n, sid in enumerate([victim, *others]):
                seed_session(conn, sid, 2 + n, vectors=False)
        tracing.create_session_partition(pool, victim)
        tracing.persist_traces(pool, victim, 0, [{"system": "S", "event": "e"}])
        manifest = archival.export_session_to_parquet(pool, victim, tmp_path)[-1]

        def other_work(sid: uuid.UUID) -> None:
            for tick in range(3):
                tracing.persist_traces(pool, sid, tick, [{"system": "S", "event": "o"}])
            tracing.create_session_partition(pool, sid)
            tracing.persist_traces(pool, sid, 3, [{"system": "S", "event": "o"}])

        with ThreadPoolExecutor(max_workers=4) as ex:
            futures = [ex.submit(other_work, sid) for sid in others]
            purge = ex.submit(archival.purge_session, pool, victim, manifest=manifest)
            for f in futures:
                f.result()
            assert purge.result()["trace_log"] == 1
        assert set(counts(pool, victim).values()) == {0}
        for sid in others:
            assert counts(pool, sid)["trace_log"] == 4


def test_a_failed_export_leaves_no_files(pg_pool: Pool, seeded: Seeded, tmp_path: Path) -> None:
    with pg_pool.connection() as conn:
        T.set_summary_recorded_at(conn, session_id=seeded.sid, tick=1, recorded_at="infinity")
    with pytest.raises(ArchivalError, match="tick_summary"):
        archival.export_session_to_parquet(pg_pool, seeded.sid, tmp_path)
    assert list(tmp_path.iterdir()) == []  # not even the session's directory
