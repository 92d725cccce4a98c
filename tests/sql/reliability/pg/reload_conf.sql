-- name: reload_conf()$
-- Make the server read pg_hba.conf again.
SELECT pg_reload_conf();
