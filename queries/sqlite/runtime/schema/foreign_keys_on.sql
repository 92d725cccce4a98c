-- name: foreign_keys_on#
-- Enforce foreign keys again once the migration transaction has ended.
PRAGMA foreign_keys = ON;
