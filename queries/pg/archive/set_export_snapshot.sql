-- name: set_export_snapshot#
-- First statement of an export transaction: one snapshot for every table
-- (REPEATABLE READ) and no writes.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
