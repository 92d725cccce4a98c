-- name: configure_file#
-- Settings of a file database: write-ahead log (readers never block the
-- writer), fsync at checkpoints only, foreign keys enforced.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
