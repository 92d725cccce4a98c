-- name: create_database#
-- Create an empty database. {database} is filled in with psycopg.sql.Identifier.
CREATE DATABASE {database};
