"""The PostgreSQL schema, rendered from ``ddl/pg/`` in layer order."""

from __future__ import annotations

from babylon_sql.catalogue import ddl_layers, render_ddl

#: The whole PostgreSQL schema as one script, every layer in order (PostGIS
#: and pgvector layers included). ``PostgresRuntime.init_schema()`` applies
#: the layers one by one and skips those whose extension is missing.
POSTGRES_SCHEMA_DDL: str = render_ddl("pg")

#: The layer files, in order, with the extensions each requires.
POSTGRES_SCHEMA_LAYERS = ddl_layers("pg")

__all__ = ["POSTGRES_SCHEMA_DDL", "POSTGRES_SCHEMA_LAYERS"]
