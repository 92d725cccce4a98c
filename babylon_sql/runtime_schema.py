"""The SQLite runtime schema, rendered from ``ddl/sqlite/``."""

from __future__ import annotations

from babylon_sql.catalogue import ddl_layers

#: The SQLite DDL scripts, one per layer file of ``ddl/sqlite/``, in order.
#: Each runs with ``sqlite3.Connection.executescript``.
RUNTIME_SCHEMA_DDL: tuple[str, ...] = tuple(layer.sql for layer in ddl_layers("sqlite"))

__all__ = ["RUNTIME_SCHEMA_DDL"]
