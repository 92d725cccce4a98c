-- name: wal_insert_position()$
-- Bytes of WAL the server has inserted so far. The difference around an
-- operation is the WAL it wrote (every backend's: the benchmark runs one
-- operation at a time, with autovacuum off on its tables).
SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint AS bytes;
