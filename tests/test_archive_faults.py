"""Faults of the archive round trip: each refused with a typed error, nothing deleted,
nothing half-written, no partial file left.

Failures come from real conditions: a revoked privilege on a real server, a
path under a regular file, bytes changed on disk, an S3 server (moto's, on
127.0.0.1) that refuses the bucket or the credentials, a closed port.
"""

from __future__ import annotations

import hashlib
import os
import socket
import stat
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiosql
import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool
from test_archival import seed_session

from babylon_sql.archival import export_session_to_parquet, purge_session, restore_session
from babylon_sql.archive.layout import session_tables
from babylon_sql.archive.purge import count_rows
from babylon_sql.archive.upload import upload_archive
from babylon_sql.errors import ArchivalError, SessionNotFoundError
from babylon_sql.server.pool import configure_connection
from babylon_sql.traces import store as tracing

Pool = ConnectionPool[psycopg.Connection[Any]]
T = aiosql.from_path(Path(__file__).parent / "sql" / "archival", "psycopg")


def counts(pool: Pool, sid: uuid.UUID) -> dict[str, int]:
    with pool.connection() as conn:
        return {t.name: count_rows(conn, t, sid) for t in session_tables(conn)}


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def sessions(pg_pool: Pool, pg_server: Any) -> tuple[uuid.UUID, uuid.UUID]:
    a, b = uuid.uuid4(), uuid.uuid4()
    vectors = pg_server.has("vector")
    with pg_pool.connection() as conn:
        seed_session(conn, a, 3, vectors)
        seed_session(conn, b, 2, vectors)
    tracing.create_session_partition(pg_pool, a)
    tracing.persist_traces(pg_pool, a, 0, [{"system": "S", "event": "e"}])
    return a, b


# --------------------------------------------------------------------------
# Export


def test_export_of_an_unknown_session(pg_pool: Pool, tmp_path: Path) -> None:
    missing = uuid.uuid4()
    with pytest.raises(SessionNotFoundError, match=f"{missing}: nothing to export"):
        export_session_to_parquet(pg_pool, missing, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_export_into_another_sessions_archive(
    pg_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    a, b = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    before = tree(tmp_path)
    with pytest.raises(ArchivalError, match=f"already holds an archive of session {a}"):
        export_session_to_parquet(pg_pool, b, tmp_path / str(a))
    # a directory named after b that holds a's archive (a renamed copy)
    (tmp_path / str(a)).rename(tmp_path / str(b))
    with pytest.raises(ArchivalError, match=f"already holds an archive of session {a}"):
        export_session_to_parquet(pg_pool, b, tmp_path)
    (tmp_path / str(b)).rename(tmp_path / str(a))
    assert tree(tmp_path) == before
    # the session's own directory is fine: a re-export replaces it in place
    export_session_to_parquet(pg_pool, a, tmp_path / str(a))
    assert sorted(tree(tmp_path)) == sorted(before)


def test_export_into_an_unwritable_directory(
    pg_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    a, _ = sessions
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ArchivalError, match="cannot write the archive into"):
        export_session_to_parquet(pg_pool, a, blocker / "archive")
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
    assert blocker.read_text() == "not a directory"

    # A directory without write permission: refused by the kernel for a
    # regular user; root passes permission checks, so the export succeeds
    # there and proves the probe does not refuse a writable directory.
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):  # root
            export_session_to_parquet(pg_pool, a, locked)
            assert (locked / str(a) / "manifest.json").is_file()
        else:
            with pytest.raises(ArchivalError, match="cannot write the archive into"):
                export_session_to_parquet(pg_pool, a, locked)
            assert list(locked.iterdir()) == []
    finally:
        locked.chmod(stat.S_IRWXU)


@pytest.fixture
def reader_pool(pg_dsn: str, pg_pool: Pool) -> Iterator[Pool]:
    """A pool acting as a role that may read every table but tick_summary."""
    role = f"babylon_reader_{uuid.uuid4().hex[:8]}"
    ident = sql.Identifier(role)
    with pg_pool.connection() as conn:
        conn.execute(
            sql.SQL(T.create_reader_role.sql).format(
                role=ident, denied=sql.Identifier("tick_summary")
            )
        )

    def configure(conn: psycopg.Connection[Any]) -> None:
        conn.execute(sql.SQL(T.set_role.sql).format(role=ident))
        conn.commit()
        configure_connection(conn)

    pool: Pool = ConnectionPool(pg_dsn, min_size=1, max_size=2, configure=configure, open=False)
    pool.open(wait=True)
    try:
        yield pool
    finally:
        pool.close()
        with pg_pool.connection() as conn:
            conn.execute(sql.SQL(T.drop_reader_role.sql).format(role=ident))


def test_a_failure_in_the_middle_of_an_export(
    pg_pool: Pool, reader_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    a, _ = sessions
    # Into a fresh directory: nothing is left, not even the directory.
    with pytest.raises(ArchivalError, match=r"tick_summary: cannot read .*permission denied"):
        export_session_to_parquet(reader_pool, a, tmp_path / "fresh")
    assert list(tmp_path.iterdir()) == []
    # Over a good archive: it stays exactly as it was.
    export_session_to_parquet(pg_pool, a, tmp_path / "good")
    before = tree(tmp_path)
    with pytest.raises(ArchivalError, match="tick_summary"):
        export_session_to_parquet(reader_pool, a, tmp_path / "good")
    assert tree(tmp_path) == before
    # and purge still trusts it
    assert purge_session(pg_pool, a, manifest=tmp_path / "good")["game_session"] == 1


# --------------------------------------------------------------------------
# Damaged files at purge and at restore


def _damage(file: Path, how: str) -> None:
    if how == "missing":
        file.unlink()
    elif how == "truncated":
        data = file.read_bytes()
        file.write_bytes(data[: len(data) // 2])
    else:  # altered: same size, one byte flipped in the middle
        data = bytearray(file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        file.write_bytes(bytes(data))


DAMAGE = {
    "missing": "is missing",
    "truncated": r"has \d+ bytes, the manifest says \d+ \(truncated or altered\)",
    "altered": "does not match its SHA-256",
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_archive_at_purge_and_at_restore(
    pg_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path, how: str
) -> None:
    a, _ = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    session_dir = tmp_path / str(a)
    good = {p.name: p.read_bytes() for p in session_dir.iterdir()}
    before = counts(pg_pool, a)

    _damage(session_dir / "simulation_event.parquet", how)
    damaged = tree(tmp_path)
    pattern = rf"nothing deleted: .*simulation_event: .*{DAMAGE[how]}"
    with pytest.raises(ArchivalError, match=pattern):
        purge_session(pg_pool, a, manifest=tmp_path)
    assert counts(pg_pool, a) == before
    assert tree(tmp_path) == damaged  # nothing deleted or rewritten

    # Repair, purge, damage again: the restore refuses before writing anything.
    (session_dir / "simulation_event.parquet").write_bytes(good["simulation_event.parquet"])
    purge_session(pg_pool, a, manifest=tmp_path)
    _damage(session_dir / "simulation_event.parquet", how)
    damaged = tree(tmp_path)
    pattern = rf"nothing restored: .*simulation_event: .*{DAMAGE[how]}"
    with pytest.raises(ArchivalError, match=pattern):
        restore_session(pg_pool, tmp_path)
    assert set(counts(pg_pool, a).values()) == {0}
    assert tree(tmp_path) == damaged


def test_a_restore_failing_half_way_writes_nothing(
    pg_pool: Pool, pg_server: Any, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    """The session row and most tables load before document_chunk fails: all rolled back."""
    if not pg_server.has("vector"):
        pytest.fail("this test needs pgvector (both test servers have it)")
    a, b = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    purge_session(pg_pool, a, manifest=tmp_path)
    purge_manifest = export_session_to_parquet(pg_pool, b, tmp_path / "b")[-1]
    purge_session(pg_pool, b, manifest=purge_manifest)
    with pg_pool.connection() as conn:
        T.replace_collection(conn, collection="lore", dimension=4)
    with pytest.raises(ArchivalError, match=r"failed, nothing restored: .*document_chunk"):
        restore_session(pg_pool, tmp_path / str(a))
    assert set(counts(pg_pool, a).values()) == {0}
    with pg_pool.connection() as conn:
        assert T.relation_persistence(conn, name=tracing.partition_name(a)) is None


def test_restore_of_an_archive_the_schema_does_not_fit(
    pg_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    a, _ = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    purge_session(pg_pool, a, manifest=tmp_path)
    session_dir = tmp_path / str(a)
    # an archive of a table this database does not have
    manifest = session_dir / "manifest.json"
    text = manifest.read_text()
    manifest.write_text(text.replace('"tick_summary"', '"tick_summary_v9"', 1))
    with pytest.raises(ArchivalError, match="tick_summary_v9: no such session table"):
        restore_session(pg_pool, tmp_path)
    assert set(counts(pg_pool, a).values()) == {0}


def test_consumers_list_the_sessions_of_a_shared_directory(
    pg_pool: Pool, sessions: tuple[uuid.UUID, uuid.UUID], tmp_path: Path
) -> None:
    a, b = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    export_session_to_parquet(pg_pool, b, tmp_path)
    before = counts(pg_pool, a)
    first, second = sorted([str(a), str(b)])
    with pytest.raises(ArchivalError, match=f"holds 2 session archives \\({first}, {second}\\)"):
        purge_session(pg_pool, a, manifest=tmp_path)
    with pytest.raises(ArchivalError, match="holds 2 session archives"):
        restore_session(pg_pool, tmp_path)
    assert counts(pg_pool, a) == before


# --------------------------------------------------------------------------
# Upload


#: moto keeps its buckets per process, across servers: a bucket of our own.
BUCKET = f"archive-faults-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        import boto3

        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
            Bucket=BUCKET
        )
        yield endpoint
    finally:
        server.stop()


def _objects(endpoint: str) -> list[str]:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_upload_faults(
    pg_pool: Pool,
    sessions: tuple[uuid.UUID, uuid.UUID],
    tmp_path: Path,
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, _ = sessions
    export_session_to_parquet(pg_pool, a, tmp_path)
    before = tree(tmp_path)

    with pytest.raises(ArchivalError, match="NoSuchBucket"):
        upload_archive(tmp_path, "wrong-bucket", endpoint_url=s3_endpoint)

    # moto checks credentials once told to (POST /moto-api/reset-auth)
    def enforce(count: str) -> None:
        request = urllib.request.Request(
            f"{s3_endpoint}/moto-api/reset-auth",
            data=count.encode(),
            method="POST",
            headers={"Content-Type": "text/plain"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    enforce("0")
    try:
        with pytest.raises(ArchivalError, match="InvalidAccessKeyId"):
            upload_archive(tmp_path, BUCKET, endpoint_url=s3_endpoint)
    finally:
        enforce("inf")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    closed = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(ArchivalError, match="Could not connect to the endpoint URL"):
        upload_archive(tmp_path, BUCKET, endpoint_url=closed)

    assert _objects(s3_endpoint) == []
    assert tree(tmp_path) == before

    # an archive that does not match its manifest is not sent at all
    (tmp_path / str(a) / "tick_summary.parquet").unlink()
    with pytest.raises(ArchivalError, match="nothing uploaded"):
        upload_archive(tmp_path, BUCKET, endpoint_url=s3_endpoint)
    assert _objects(s3_endpoint) == []
