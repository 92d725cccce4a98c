"""Query archived sessions with DuckDB, from a local directory or an S3 prefix.

S3: DuckDB reads S3 through its ``httpfs`` extension, which PyPI carries as
``duckdb-extension-httpfs`` only for DuckDB releases up to 1.5.x; it must
match the installed DuckDB exactly, and downloading it at run time is not
an option. So an ``s3://`` archive is fetched with boto3 into a temporary
directory (verified against its manifest), queried there, and the copy is
removed when the query returns. Its size is the archive's, which an export
keeps small (Parquet, zstd).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from babylon_sql.archive.layout import (
    MANIFEST_NAME,
    Archive,
    archives_under,
    locate_archive,
    read_manifest,
    require_verified,
)
from babylon_sql.archive.upload import _describe, s3_client
from babylon_sql.errors import ArchivalError


def is_s3_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith("s3://")


def _split_s3(url: str) -> tuple[str, str]:
    rest = url[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    if len(bucket) < 3:
        raise ArchivalError(f"{url} names no bucket: write s3://<bucket>/<prefix>")
    return bucket, prefix.strip("/")


def _s3_session_prefix(client: Any, bucket: str, prefix: str, url: str) -> str:
    """The key prefix of the one session archive ``url`` designates."""
    if prefix.endswith(MANIFEST_NAME):
        return prefix[: -len(MANIFEST_NAME)].rstrip("/")
    base = f"{prefix}/" if prefix else ""
    manifests: list[str] = []
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=base):
        for obj in page.get("Contents", []):
            rel = str(obj["Key"])[len(base) :]
            if rel == MANIFEST_NAME:
                return prefix
            parts = rel.split("/")
            if len(parts) == 2 and parts[1] == MANIFEST_NAME:
                manifests.append(parts[0])
    if not manifests:
        raise ArchivalError(
            f"{url} holds no session archive (no {MANIFEST_NAME} in it or one level below)"
        )
    if len(manifests) > 1:
        raise ArchivalError(
            f"{url} holds {len(manifests)} session archives ({', '.join(sorted(manifests))}); "
            f"name one: {url.rstrip('/')}/{sorted(manifests)[0]}"
        )
    return f"{base}{manifests[0]}"


def fetch_s3_archive(
    url: str,
    destination: str | os.PathLike[str],
    *,
    client: Any = None,
    endpoint_url: str | None = None,
) -> Archive:
    """Download the session archive at ``url`` into ``destination/<session_id>``; verified.

    ``url`` is ``s3://bucket/prefix`` where ``prefix`` is the session's own
    prefix, its ``manifest.json``, or a prefix holding exactly one session
    archive. Raises :class:`ArchivalError` when the objects cannot be read or
    do not match the manifest.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, prefix = _split_s3(url)
    if client is None:
        client = s3_client(endpoint_url)
    try:
        session_prefix = _s3_session_prefix(client, bucket, prefix, url)
        key_base = f"{session_prefix}/" if session_prefix else ""
        staging = Path(destination) / "download"
        staging.mkdir(parents=True, exist_ok=True)
        client.download_file(bucket, key_base + MANIFEST_NAME, str(staging / MANIFEST_NAME))
        manifest = read_manifest(staging / MANIFEST_NAME)
        for entry in manifest["tables"].values():
            file = str(entry["file"])
            client.download_file(bucket, key_base + file, str(staging / file))
    except (BotoCoreError, ClientError) as exc:
        raise ArchivalError(f"cannot read the archive at {url}: {_describe(exc)}") from exc
    archive = Archive(staging, manifest)
    require_verified(archive, "not used")
    return archive


@contextmanager
def open_archive(
    location: str | os.PathLike[str], *, client: Any = None, endpoint_url: str | None = None
) -> Iterator[Archive]:
    """The archive at a local path or an ``s3://`` URL (fetched into a temporary directory)."""
    if is_s3_url(location):
        with tempfile.TemporaryDirectory(prefix="babylon-archive-") as tmp:
            yield fetch_s3_archive(str(location), tmp, client=client, endpoint_url=endpoint_url)
    else:
        yield locate_archive(location)


def _views(path: Path) -> list[tuple[str, Path]]:
    if path.is_file() and path.suffix == ".parquet":
        return [("archive", path)]
    if path.is_dir() and not (path / MANIFEST_NAME).is_file() and not archives_under(path):
        files = sorted(path.glob("*.parquet"))
        if files:  # Parquet files without a manifest: one view per file
            return [(f.stem, f) for f in files]
    archive = locate_archive(path)
    return [(table, archive.file(table)) for table in sorted(archive.tables)]


def _run(
    views: list[tuple[str, Path]],
    where: object,
    query: str,
    params: Sequence[Any] | Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for name, file in views:
            con.read_parquet(str(file)).create_view(name)
        cur = con.execute(query, params) if params is not None else con.execute(query)
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    except duckdb.Error as exc:
        raise ArchivalError(f"query on archive {where} failed: {exc}") from exc
    finally:
        con.close()


def query_archived_session(
    parquet_path: str | os.PathLike[str],
    query: str,
    params: Sequence[Any] | Mapping[str, Any] | None = None,
    *,
    client: Any = None,
    endpoint_url: str | None = None,
) -> list[dict[str, Any]]:
    """Run a DuckDB query on an archived session; rows as dicts.

    ``parquet_path`` is any of: the directory given to the export (when it
    holds one session archive; with several, the error lists them), the
    session's own directory, its ``manifest.json``, an ``s3://bucket/prefix``
    of the same shapes (``client`` or ``endpoint_url`` as for
    :func:`~babylon_sql.archive.upload.upload_to_r2`), or one Parquet file.
    Each table is a view named after it (``SELECT * FROM node_state JOIN
    graph_snapshot USING (session_id, tick)``); a single file is the view
    ``archive``. The query text is the caller's own; it runs in a private
    in-memory DuckDB database. ``params`` fill ``?`` or ``$name``
    placeholders. JSON columns are strings: DuckDB's ``->>`` and
    ``json_extract`` read them. A failing query raises :class:`ArchivalError`
    with DuckDB's message.
    """
    if is_s3_url(parquet_path):
        with open_archive(parquet_path, client=client, endpoint_url=endpoint_url) as archive:
            views = [(table, archive.file(table)) for table in sorted(archive.tables)]
            return _run(views, parquet_path, query, params)
    path = Path(parquet_path)
    if not path.exists():
        raise ArchivalError(f"no archive at {path}: no such file or directory")
    return _run(_views(path), path, query, params)
