"""Session archival: Parquet export, object-store upload, purge, DuckDB queries, restore.

Modules: :mod:`.layout` (archives, manifests, verification), :mod:`.export`,
:mod:`.upload`, :mod:`.purge`, :mod:`.query`, :mod:`.restore`;
:mod:`.pipeline` re-exports them all. Queries: ``queries/pg/archive/``.
"""
