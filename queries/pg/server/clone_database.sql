-- name: clone_database#
-- Create a database as a copy of a template database (which must have no
-- other connections). Identifiers are filled in with psycopg.sql.Identifier.
CREATE DATABASE {database} TEMPLATE {template};
