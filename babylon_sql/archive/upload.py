"""Upload archives to an S3-compatible bucket (Cloudflare R2, AWS S3, MinIO, ...), verified."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babylon_sql.archive.layout import MANIFEST_NAME, Progress, locate_archive, require_verified
from babylon_sql.errors import ArchivalError, ValidationError

#: Files up to this size are uploaded in one PUT (verified by Content-MD5 and
#: ETag); larger ones in parts of this size (ETag = MD5 of the part MD5s).
MULTIPART_THRESHOLD = 64 * 1024 * 1024

#: A client made here gives up after this many attempts and seconds, so an
#: unreachable endpoint fails in seconds rather than minutes.
CLIENT_ATTEMPTS = 2
CLIENT_TIMEOUT_S = 10


def _boto3() -> Any:
    try:
        import boto3
    except ImportError as exc:
        raise ArchivalError(
            "uploading needs boto3, which is not installed; "
            "install the 's3' extra: pip install 'babylon-sql[s3]'"
        ) from exc
    return boto3


def s3_client(endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client for ``endpoint_url`` (credentials: the usual AWS variables/files)."""
    boto3 = _boto3()
    from botocore.config import Config

    config = Config(
        retries={"max_attempts": CLIENT_ATTEMPTS, "mode": "standard"},
        connect_timeout=CLIENT_TIMEOUT_S,
        read_timeout=CLIENT_TIMEOUT_S * 6,
    )
    return boto3.client("s3", endpoint_url=endpoint_url, config=config)


def _object_key(prefix: str, path: Path) -> str:
    """``<prefix>/<directory>/<file>``: the session directory keeps sessions apart."""
    name = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    prefix = prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


def _file_digests(path: Path, part_size: int) -> tuple[str, str, str]:
    """SHA-256 hex, MD5 hex of the whole file, and the S3 ETag it gets.

    The ETag of a single PUT is the MD5; of a multipart upload with parts of
    ``part_size`` it is the MD5 of the concatenated part MD5s, ``-<parts>``.
    """
    sha = hashlib.sha256()
    whole = hashlib.md5(usedforsecurity=False)
    parts: list[bytes] = []
    size = 0
    with path.open("rb") as f:
        while block := f.read(part_size):
            sha.update(block)
            whole.update(block)
            parts.append(hashlib.md5(block, usedforsecurity=False).digest())
            size += len(block)
    if size > part_size and len(parts) > 1:
        composite = hashlib.md5(b"".join(parts), usedforsecurity=False).hexdigest()
        etag = f"{composite}-{len(parts)}"
    else:
        etag = whole.hexdigest()
    return sha.hexdigest(), whole.hexdigest(), etag


def _describe(exc: BaseException) -> str:
    """One line for a boto error: the service's code and message when there is one."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error") or {}
        code, message = error.get("Code"), error.get("Message")
        if code:
            return f"{code}: {message}" if message else str(code)
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def upload_to_r2(
    parquet_paths: Iterable[str | os.PathLike[str]],
    bucket: str,
    prefix: str = "",
    *,
    client: Any = None,
    endpoint_url: str | None = None,
    multipart_threshold: int = MULTIPART_THRESHOLD,
    progress: Progress | None = None,
) -> list[str]:
    """Upload files to an S3-compatible bucket and verify every object.

    ``client`` is a boto3 S3 client; without one, a client is made for
    ``endpoint_url`` (R2: ``https://<account>.r2.cloudflarestorage.com``)
    with credentials from the usual AWS variables or files, two attempts
    and a 10 s connect timeout. The object key of
    ``.../<session_id>/<table>.parquet`` is
    ``<prefix>/<session_id>/<table>.parquet``. A ``manifest.json`` among the
    paths is uploaded last, so a prefix without one is an upload that did
    not finish.

    Verification: a file up to ``multipart_threshold`` bytes goes in one PUT
    with a Content-MD5 header (the server refuses a body that arrived
    altered); a larger one in parts of that size. Each object is then read
    back with HEAD: its size must equal the file's and its ETag the MD5 (or
    the multipart ETag computed locally). The file's SHA-256 travels as
    object metadata ``sha256``. Any failure (wrong bucket, refused
    credentials, unreachable endpoint, a mismatch) raises
    :class:`ArchivalError` naming the file and the service's reason; the
    objects this call had already written are then deleted (best effort),
    and no local file is touched. Returns the object keys, in the order of
    the paths.
    """
    paths = [Path(p) for p in parquet_paths]
    if not isinstance(bucket, str) or len(bucket) < 3:
        raise ValidationError(f"bucket must be a bucket name (3+ characters), got {bucket!r}")
    if multipart_threshold < 5 * 1024 * 1024:
        raise ValidationError(
            "multipart_threshold must be at least 5 MiB (the S3 minimum part size)"
        )
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ArchivalError(f"cannot upload, no such file(s): {', '.join(missing)}")
    _boto3()
    from boto3.exceptions import Boto3Error
    from boto3.s3.transfer import TransferConfig
    from botocore.exceptions import BotoCoreError, ClientError

    if client is None:
        client = s3_client(endpoint_url)
    config = TransferConfig(
        multipart_threshold=multipart_threshold, multipart_chunksize=multipart_threshold
    )
    order = sorted(range(len(paths)), key=lambda i: paths[i].name == MANIFEST_NAME)
    keys: dict[int, str] = {}
    total = sum(p.stat().st_size for p in paths)
    done = 0
    try:
        for i in order:
            path = paths[i]
            key = _object_key(prefix, path)
            sha256, md5, etag = _file_digests(path, multipart_threshold)
            size = path.stat().st_size
            metadata = {"sha256": sha256}
            where = f"s3://{bucket}/{key}"
            try:
                if size <= multipart_threshold:
                    with path.open("rb") as body:
                        client.put_object(
                            Bucket=bucket,
                            Key=key,
                            Body=body,
                            ContentMD5=base64.b64encode(bytes.fromhex(md5)).decode(),
                            Metadata=metadata,
                        )
                else:
                    client.upload_file(
                        str(path), bucket, key, ExtraArgs={"Metadata": metadata}, Config=config
                    )
                keys[i] = key
                head = client.head_object(Bucket=bucket, Key=key)
            except (BotoCoreError, ClientError, Boto3Error, OSError) as exc:
                raise ArchivalError(
                    f"upload of {path} to {where} failed: {_describe(exc)}"
                ) from exc
            got_size = head.get("ContentLength")
            got_etag = str(head.get("ETag", "")).strip('"')
            if got_size != size:
                raise ArchivalError(
                    f"upload of {path} to {where}: the object has {got_size} bytes, the file {size}"
                )
            if got_etag != etag:
                raise ArchivalError(
                    f"upload of {path} to {where}: ETag {got_etag!r} does not match "
                    f"the file's {etag!r}"
                )
            done += size
            if progress:
                progress(path.name, done, total)
    except BaseException:
        for key in keys.values():
            try:
                client.delete_object(Bucket=bucket, Key=key)
            except Exception:  # best effort: the first error is the one to report
                continue
        raise
    return [keys[i] for i in range(len(paths))]


#: The same function under a provider-neutral name.
upload_to_object_store = upload_to_r2


def upload_archive(
    archive: str | os.PathLike[str],
    bucket: str,
    prefix: str = "",
    *,
    client: Any = None,
    endpoint_url: str | None = None,
    multipart_threshold: int = MULTIPART_THRESHOLD,
    progress: Progress | None = None,
) -> list[str]:
    """Verify a session archive, then upload its files (manifest last).

    ``archive`` is anything :func:`~babylon_sql.archive.layout.locate_archive`
    takes. An archive whose files do not match its manifest is refused
    before anything is sent. Keys are ``<prefix>/<session_id>/<file>``.
    """
    found = locate_archive(archive)
    require_verified(found, "nothing uploaded")
    files = [found.file(t) for t in sorted(found.tables)] + [found.manifest_path]
    return upload_to_r2(
        files,
        bucket,
        prefix,
        client=client,
        endpoint_url=endpoint_url,
        multipart_threshold=multipart_threshold,
        progress=progress,
    )
