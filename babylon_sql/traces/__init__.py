"""Execution traces: the recorder and ``trace_log`` storage (:mod:`.store`).

Queries: ``queries/pg/traces/``.
"""
