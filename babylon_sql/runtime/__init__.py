"""Tick persistence: one core (:mod:`.core`) over PostgreSQL and SQLite.

:mod:`.postgres` and :mod:`.sqlite` bind it to each backend.

Queries: ``queries/pg/runtime/`` and ``queries/sqlite/runtime/``, same names
where the meaning is the same; :mod:`.graph` encodes graphs into their rows.
"""
