-- name: server_version_num()$
-- The server version as an integer (150018 for 15.18, 180001 for 18.1).
SELECT current_setting('server_version_num')::integer;
