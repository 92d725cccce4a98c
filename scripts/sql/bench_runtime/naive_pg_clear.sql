-- name: naive_pg_clear#
-- Baseline: empty the tick before a naive run.
DELETE FROM edge_state; DELETE FROM node_state;
