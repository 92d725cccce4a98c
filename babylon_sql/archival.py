"""Seed module name: the archival pipeline lives in :mod:`babylon_sql.archive`."""

from babylon_sql.archive.pipeline import (
    export_session_to_parquet,
    purge_session,
    query_archived_session,
    restore_session,
    upload_to_r2,
)

__all__ = [
    "export_session_to_parquet",
    "purge_session",
    "query_archived_session",
    "restore_session",
    "upload_to_r2",
]
