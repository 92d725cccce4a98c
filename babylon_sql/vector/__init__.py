"""Semantic search on pgvector (:mod:`.store`) and the offline embedder (:mod:`.embedding`).

Queries: ``queries/pg/vector/``.
"""
