"""The multi-resolution hex journal (:mod:`.journal`). Queries: ``queries/pg/hex/``."""
