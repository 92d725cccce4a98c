"""Seed module name: the PostgreSQL runtime lives in :mod:`babylon_sql.runtime.postgres`."""

from babylon_sql.runtime.postgres import (
    PostgresRuntime,
    SessionInfo,
)

__all__ = [
    "PostgresRuntime",
    "SessionInfo",
]
