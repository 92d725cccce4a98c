"""Seed module name: the SQLite runtime lives in :mod:`babylon_sql.runtime.sqlite`."""

from babylon_sql.runtime.sqlite import (
    RuntimeDatabase,
)

__all__ = [
    "RuntimeDatabase",
]
