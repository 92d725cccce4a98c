-- name: begin_migration#
-- Start the one write transaction that applies every pending migration.
BEGIN IMMEDIATE;
