"""Session archival: Parquet export, object-store upload, purge, DuckDB queries.

Queries: ``queries/pg/archive/``.
"""
