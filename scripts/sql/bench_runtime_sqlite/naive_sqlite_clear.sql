-- name: naive_sqlite_clear#
-- Baseline: empty the tables before a naive run.
DELETE FROM edge_state; DELETE FROM node_state;
