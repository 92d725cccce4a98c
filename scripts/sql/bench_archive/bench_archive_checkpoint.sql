-- name: bench_archive_checkpoint#
-- Settle the tables before their sizes are read: visibility and free-space
-- maps built, statistics current (what autovacuum does on a live server).
VACUUM (ANALYZE);
