-- name: configure_memory#
-- Settings of an in-memory database: foreign keys enforced.
PRAGMA foreign_keys = ON;
