-- name: foreign_keys_off#
-- Off while migrations rebuild tables (SQLite's documented procedure: a
-- dropped parent table would otherwise cascade to its children). A no-op
-- inside a transaction, so it runs before the migration's BEGIN.
PRAGMA foreign_keys = OFF;
