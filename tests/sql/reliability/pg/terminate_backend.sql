-- name: terminate_backend(pid)$
-- Terminate one backend.
SELECT pg_terminate_backend(:pid);
