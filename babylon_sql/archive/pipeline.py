"""The archival pipeline under its earlier module name: export, upload, purge, query, restore.

1. :func:`export_session_to_parquet` (:mod:`.export`) writes every row of one
   session, one Parquet file per table, plus ``manifest.json``.
2. :func:`upload_archive` / :func:`upload_to_r2` (:mod:`.upload`) copy the
   files to an S3-compatible bucket and check each object.
3. :func:`purge_session` (:mod:`.purge`) deletes the session from PostgreSQL,
   only when the manifest matches both the files and the database.
4. :func:`query_archived_session` (:mod:`.query`) runs SQL on an archive
   with DuckDB.
5. :func:`restore_session` (:mod:`.restore`) loads an archive back.

What an archive is, and how a path designates one: :mod:`.layout`.
"""

from babylon_sql.archive.export import (
    DEFAULT_SETTINGS,
    EXPORT_CHUNK_ROWS,
    ParquetSettings,
    export_session_to_parquet,
)
from babylon_sql.archive.layout import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    MANIFEST_VERSION,
    Archive,
    SessionTable,
    list_archives,
    locate_archive,
    session_tables,
    shared_tables,
    verify_archive,
)
from babylon_sql.archive.purge import purge_session
from babylon_sql.archive.query import fetch_s3_archive, query_archived_session
from babylon_sql.archive.restore import RESTORE_CHUNK_ROWS, restore_session
from babylon_sql.archive.upload import (
    MULTIPART_THRESHOLD,
    upload_archive,
    upload_to_object_store,
    upload_to_r2,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "EXPORT_CHUNK_ROWS",
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "MULTIPART_THRESHOLD",
    "RESTORE_CHUNK_ROWS",
    "Archive",
    "ParquetSettings",
    "SessionTable",
    "export_session_to_parquet",
    "fetch_s3_archive",
    "list_archives",
    "locate_archive",
    "purge_session",
    "query_archived_session",
    "restore_session",
    "session_tables",
    "shared_tables",
    "upload_archive",
    "upload_to_object_store",
    "upload_to_r2",
    "verify_archive",
]
