"""The multi-resolution hex journal (:mod:`.journal`) and its world generator
(:mod:`.world`). Queries: ``queries/pg/hex/``."""
