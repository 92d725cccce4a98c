-- name: lock_waiter(dbname)$
-- The pid of a backend of the database waiting on a lock, if any.
SELECT pid FROM pg_stat_activity
WHERE datname = :dbname AND wait_event_type = 'Lock'
ORDER BY pid
LIMIT 1;
