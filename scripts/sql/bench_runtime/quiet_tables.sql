-- name: quiet_tables#
-- No autovacuum on the tables the benchmark writes: on this 2-core machine a
-- worker vacuuming the floor's tables, or the rows a replace deleted, took
-- a core from whichever figure ran beside it (at 100K a worker was busy
-- 80 % of the run). vacuum_tables does the same work between rounds, timed
-- on its own line and in no figure.
ALTER TABLE node_state SET (autovacuum_enabled = off, toast.autovacuum_enabled = off);
ALTER TABLE edge_state SET (autovacuum_enabled = off, toast.autovacuum_enabled = off);
ALTER TABLE graph_snapshot SET (autovacuum_enabled = off, toast.autovacuum_enabled = off);
ALTER TABLE floor_node_state SET (
    autovacuum_enabled = off, toast.autovacuum_enabled = off
);
ALTER TABLE floor_edge_state SET (
    autovacuum_enabled = off, toast.autovacuum_enabled = off
);
ALTER TABLE naive_node_state SET (
    autovacuum_enabled = off, toast.autovacuum_enabled = off
);
ALTER TABLE naive_edge_state SET (
    autovacuum_enabled = off, toast.autovacuum_enabled = off
);
