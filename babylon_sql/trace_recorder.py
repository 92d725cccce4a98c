"""Seed module name: traces live in :mod:`babylon_sql.traces`."""

from babylon_sql.traces.store import (
    TraceRecorder,
)

__all__ = [
    "TraceRecorder",
]
