-- name: terminate_other_backends(dbname)$
-- Terminate every backend connected to a database except this one; returns
-- how many were signalled.
SELECT count(pg_terminate_backend(pid))
FROM pg_stat_activity
WHERE datname = :dbname AND pid <> pg_backend_pid();
