-- name: create_password_role#
-- A login role that must give a password (pg_hba.conf asks it for one).
CREATE ROLE reliab_pw LOGIN SUPERUSER PASSWORD 'Zq7-reliab-pass-word';
