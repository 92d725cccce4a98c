-- name: journal_mode()$
-- The database's journal mode ('wal' for run files, 'memory' in memory).
PRAGMA journal_mode;
